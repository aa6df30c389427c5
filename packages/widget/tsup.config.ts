import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import { minifyTemplatesPlugin } from './src/build/minify-templates.js';

// The builds all write to dist/ and tsup runs them side by side, so none may clean it: clear it
// once, here, before any starts.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

/** What the two script-tag builds share: minified browser code, no types, no source maps. */
const scriptTagBuild = {
  platform: 'browser',
  target: 'es2020',
  minify: true,
  // No source map: a sourceMappingURL comment pointing at a file a shop did not copy only makes 404s.
  sourcemap: false,
  dts: false,
  clean: false,
} satisfies Options;

export default defineConfig([
  {
    // The npm build: unbundled ESM mirroring src/ (so `sideEffects` names the real files and the
    // app's bundler shares Lit and the core), with types. index, define and elements are the entries.
    entry: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/*.stories.ts', '!src/test-helpers/**', '!src/embed.ts', '!src/loader/**', '!src/build/**'],
    bundle: false,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    external: ['lit', /^lit\//, /^@lit\//, /^@xiaoer\//],
  },
  {
    // The script tag's file, dist/xiaoer.js: the loader alone (a classic script, no Lit), which
    // imports the widget below by URL when it is needed.
    entry: { xiaoer: 'src/loader/entry.ts' },
    ...scriptTagBuild,
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    treeshake: true,
  },
  {
    // The widget behind the loader: dist/xiaoer-widget/embed.js (a fixed name the loader knows) and its
    // chunks, ES modules split so each side view and each locale is its own file, loaded when
    // first used. Chunk names carry a content hash: a server may cache them for good.
    entry: { 'xiaoer-widget/embed': 'src/embed.ts' },
    ...scriptTagBuild,
    format: ['esm'],
    splitting: true,
    noExternal: [/.*/],
    // esbuild's own tree shaking (tsup's rollup pass cannot follow split chunks).
    treeshake: false,
    // Lit's css``/html`` templates, minified: the JS minifier leaves template text as written.
    esbuildPlugins: [minifyTemplatesPlugin() as NonNullable<Options['esbuildPlugins']>[number]],
    esbuildOptions(options) {
      options.chunkNames = 'xiaoer-widget/[name]-[hash]';
      // The workspace packages from their sources, module by module, not their one-file dist
      // bundles: esbuild tree-shakes them better (−2.7 KB raw, −0.6 KB gzip).
      options.conditions = ['xiaoer-source'];
    },
  },
]);
