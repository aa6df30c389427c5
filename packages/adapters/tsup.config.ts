import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    'websocket/index': 'src/websocket/index.ts',
    'http/index': 'src/http/index.ts',
    'memory/index': 'src/memory/index.ts',
    'msw/index': 'src/msw/index.ts',
    'tabs/index': 'src/tabs/index.ts',
    'conformance/index': 'src/conformance/index.ts',
    // Keeps its `#!/usr/bin/env node` line (esbuild preserves an entry's hashbang; tsup makes it executable).
    'conformance/cli': 'src/conformance/cli.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // ws and eventsource are optional peers the CLI loads when it needs them; msw is the optional peer
  // of ./msw. None is bundled.
  external: ['@xiaoer/core', 'ws', 'eventsource', 'msw'],
});
