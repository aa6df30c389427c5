import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'websocket/index': 'src/websocket/index.ts', 'http/index': 'src/http/index.ts', 'memory/index': 'src/memory/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['@xiaoer/core'],
});
