import { build } from '../node_modules/.pnpm/esbuild@0.25.12/node_modules/esbuild/lib/main.js';
import { gzipSync } from 'node:zlib';
const entry = process.argv[2];
const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, metafile: true, target: 'es2020', conditions: ['xiaoer-source'], platform: 'browser' });
const out = Object.values(r.metafile.outputs)[0];
console.log('total', r.outputFiles[0].contents.length, 'gzip', gzipSync(r.outputFiles[0].contents, {level:9}).length);
const rows = Object.entries(out.inputs).map(([f, v]) => [v.bytesInOutput, f.replace(/^.*node_modules\//, 'nm:')]).sort((a, b) => b[0] - a[0]);
for (const [b, f] of rows.slice(0, 45)) console.log(String(b).padStart(8), f);
