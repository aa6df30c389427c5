#!/usr/bin/env node
// Bundle size of the script-tag build next to peers, measured the same way in the same run:
// each peer is installed into a scratch folder (npm registry), bundled with all its dependencies
// into one minified file by esbuild, and compressed with gzip -9 and brotli. Prints a table and
// each figure's ratio to the smallest peer. Run after `npm run build`: `npm run bench`.
//
// The script tag loads dist/xiaoer.js (the loader) and, on the first interaction or when idle,
// the ES modules in dist/xiaoer-widget/. Each file travels and is compressed on its own, so a
// group's figure is the sum of its files' figures:
//   loader          dist/xiaoer.js alone: what every page pays
//   first open      the loader, embed.js with the chunks it imports statically, and one locale
//   every view      all of it with one locale (the side views load when first shown)
//   both locales    all of it
import { readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { bundleIife, installScratch, root } from './bench-bundle.mjs';

const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const PEERS = [
  { name: 'deep-chat', deps: ['deep-chat@2.4.2'], entry: "import 'deep-chat';" },
  {
    name: '@botpress/webchat',
    deps: ['@botpress/webchat@4.5.2', 'react@18', 'react-dom@18'],
    entry: "import * as W from '@botpress/webchat'; import { createRoot } from 'react-dom/client'; window.__peer = [W, createRoot];",
  },
  {
    name: 'react-chat-widget',
    deps: ['react-chat-widget@3.1.4', 'react@17', 'react-dom@17'],
    entry: "import * as W from 'react-chat-widget'; import { render } from 'react-dom'; window.__peer = [W, render];",
  },
];

async function bundlePeer(peer) {
  const dir = installScratch(peer.deps);
  try {
    return sizes(await bundleIife(peer.entry, dir, { css: 'empty' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const dist = join(root, 'packages/widget/dist');
const loader = join(dist, 'xiaoer.js');
const modules = join(dist, 'xiaoer-widget');
if (!existsSync(loader) || !existsSync(join(modules, 'embed.js'))) {
  console.error('build first: npm run build');
  process.exit(1);
}
const files = readdirSync(modules).filter((f) => f.endsWith('.js'));
const isLocale = (f) => /^(en|zh-CN)-[A-Z0-9]+\.js$/.test(f);
/** embed.js and every chunk it reaches through static imports (not `import()`). */
function staticGraph(start) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(modules, file), 'utf8');
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w-]+\.js)["']/g)) visit(m[1]);
  };
  visit(start);
  return [...seen];
}
const sum = (paths) => paths.map((p) => sizes(readFileSync(p))).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
const at = (list) => list.map((f) => join(modules, f));
const en = files.find((f) => f.startsWith('en-'));
const rows = [
  { name: 'xiaoer.js loader', ...sizes(readFileSync(loader)) },
  { name: 'xiaoer first open (en)', ...sum([loader, ...at([...staticGraph('embed.js'), en])]) },
  { name: 'xiaoer every view (en)', ...sum([loader, ...at(files.filter((f) => !isLocale(f) || f === en))]) },
  { name: 'xiaoer every view, both locales', ...sum([loader, ...at(files)]) },
];
const ours = rows.length;
for (const peer of PEERS) {
  try {
    rows.push({ name: peer.name, ...(await bundlePeer(peer)) });
  } catch (error) {
    rows.push({ name: peer.name, error: String(error.message ?? error).split('\n')[0] });
  }
}
const peers = rows.slice(ours).filter((r) => !r.error);
const best = peers.length ? Math.min(...peers.map((r) => r.gzip)) : undefined;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`xiaoer-widget/: ${files.length} modules; first open loads ${staticGraph('embed.js').length} of them and one locale`);
console.log('bundle                                   raw        gzip -9    brotli     gzip vs best peer');
for (const r of rows) {
  if (r.error) console.log(`${r.name.padEnd(40)} could not be measured: ${r.error}`);
  else console.log(`${r.name.padEnd(40)} ${kb(r.raw).padEnd(10)} ${kb(r.gzip).padEnd(10)} ${kb(r.brotli).padEnd(10)} ${best ? `${(r.gzip / best).toFixed(2)}×` : '—'}`);
}
