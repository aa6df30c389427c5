// What both benchmarks do to a peer (and bench-speed to the widget's page): install it from the
// npm registry into a scratch folder, and bundle an entry with all its dependencies into one
// minified browser script with esbuild — the same way for everyone, in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const requireRoot = createRequire(join(root, 'package.json'));
// esbuild comes with tsup (a root devDependency); no extra install for the benches.
const esbuild = await import(createRequire(requireRoot.resolve('tsup')).resolve('esbuild'));

/** A scratch folder with `deps` installed (no install scripts). The caller removes it. */
export function installScratch(deps, prefix = 'xiaoer-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'package.json'), '{"private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...deps], { cwd: dir, stdio: 'pipe' });
  return dir;
}

/**
 * `contents` (an ES module resolved from `resolveDir`) bundled into one minified IIFE. `css` is how
 * imported stylesheets count: 'empty' for size (peers inject their CSS from JS anyway), 'text'
 * when the page must run.
 */
export async function bundleIife(contents, resolveDir, { css = 'text', conditions, plugins } = {}) {
  const result = await esbuild.build({
    ...(conditions ? { conditions } : {}),
    ...(plugins ? { plugins } : {}),
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.css': css, '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty' },
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/**
 * The esbuild plugin the widget's script-tag build minifies its Lit templates with
 * (packages/widget/src/build/minify-templates.ts), so a bench page runs the code a script tag gets.
 * The TypeScript module is compiled next to the widget's node_modules, where its import resolves.
 */
export async function widgetTemplateMinifier() {
  const cache = join(root, 'packages/widget/node_modules/.cache/xiaoer-bench');
  mkdirSync(cache, { recursive: true });
  const outfile = join(cache, 'minify-templates.mjs');
  await esbuild.build({ entryPoints: [join(root, 'packages/widget/src/build/minify-templates.ts')], outfile, format: 'esm', platform: 'node', logLevel: 'silent' });
  const { minifyTemplatesPlugin } = await import(`${pathToFileURL(outfile).href}?${Date.now()}`);
  return minifyTemplatesPlugin();
}
