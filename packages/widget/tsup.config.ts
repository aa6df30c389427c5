import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Both builds write to dist/ and tsup runs them side by side, so neither may clean it: clear it
// once, here, before either starts.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

export default defineConfig([
  {
    // The npm build: unbundled ESM mirroring src/ (so `sideEffects` names the real files and the
    // app's bundler shares Lit and the core), with types. index, define and elements are the entries.
    entry: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/*.stories.ts', '!src/test-helpers/**', '!src/embed.ts'],
    bundle: false,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    external: ['lit', /^lit\//, /^@lit\//, /^@xiaoer\//],
  },
  {
    // The script-tag build: one self-contained, minified file and one global (window.Xiaoer).
    entry: { xiaoer: 'src/embed.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2020',
    minify: true,
    // No source map: a sourceMappingURL comment pointing at a file a shop did not copy only makes 404s.
    sourcemap: false,
    dts: false,
    clean: false,
    noExternal: [/.*/],
    treeshake: true,
  },
]);
