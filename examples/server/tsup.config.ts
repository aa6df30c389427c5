import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts', index: 'src/index.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // Bundle the workspace packages so the server runs from dist alone; keep real npm deps external.
  noExternal: [/^@xiaoer\//],
  external: ['ws'],
});
