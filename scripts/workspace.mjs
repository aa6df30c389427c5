#!/usr/bin/env node
// The two commands of the README, with nothing but Node and npm on the machine:
//   npm start  → install what is missing, build, run the reference server
//   npm test   → install what is missing, build, run every test
// pnpm is run through npx at a pinned version (corepack's download fails its signature check on
// some machines, and no global pnpm is assumed).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const PNPM = pkg.packageManager; // "pnpm@x.y.z"

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...opts });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const pnpm = (...args) => run('npx', ['--yes', PNPM, ...args]);

function installIfNeeded() {
  const marker = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && existsSync(lock) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log(`[xiaoer] installing dependencies with ${PNPM} …`);
  pnpm('install', ...(existsSync(lock) && process.env.CI ? ['--frozen-lockfile'] : []));
}

function build() {
  console.log('[xiaoer] building …');
  pnpm('-r', '--workspace-concurrency=1', 'run', 'build');
}

/** Where `npm test` builds the catalog for examples/e2e/storybook.e2e.test.ts (git-ignored). */
const STORYBOOK_OUT = 'storybook-static';

/**
 * What the catalog needs besides the sources: msw's service worker in the static dir Storybook
 * serves (copied from the installed msw by its own CLI, so worker and library versions always
 * match — hence generated, not committed), and the widget's Custom Elements Manifest that feeds
 * the docs and controls (also part of the widget's build).
 */
function prepareStorybook() {
  run(join(root, 'node_modules/.bin/msw'), ['init', '.storybook/public', '--no-save'], { stdio: ['inherit', 'ignore', 'inherit'] });
  pnpm('--filter', '@xiaoer/widget', 'run', '--silent', 'cem');
}

function buildStorybook(args = []) {
  prepareStorybook();
  const started = Date.now();
  run(join(root, 'node_modules/.bin/storybook'), ['build', '--output-dir', STORYBOOK_OUT, '--quiet', ...args]);
  console.log(`[xiaoer] build-storybook: ${((Date.now() - started) / 1000).toFixed(1)} s → ${STORYBOOK_OUT}/`);
}

function chromiumHint() {
  const path = process.env.XIAOER_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    console.error(`[xiaoer] browser tests need Chromium at ${path}: apt-get install -y chromium (or set XIAOER_CHROMIUM).`);
    process.exit(1);
  }
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`[xiaoer] Node.js 20.19 or newer is needed; this is ${process.version}.`);
  process.exit(1);
}

const command = process.argv[2];
const rest = process.argv.slice(3);
installIfNeeded();
switch (command) {
  case 'build':
    build();
    break;
  case 'start': {
    build();
    const server = spawn(process.execPath, [join(root, 'examples/server/dist/main.js'), ...rest], { cwd: root, stdio: 'inherit' });
    const stop = () => server.kill('SIGTERM');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    server.on('exit', (code) => process.exit(code ?? 0));
    break;
  }
  case 'test':
    build();
    chromiumHint();
    buildStorybook(); // for examples/e2e/storybook.e2e.test.ts
    run(join(root, 'node_modules/.bin/vitest'), ['run', ...rest]);
    break;
  case 'storybook':
    prepareStorybook();
    run(join(root, 'node_modules/.bin/storybook'), ['dev', '--port', '6006', '--no-open', ...rest]);
    break;
  case 'build-storybook':
    buildStorybook(rest);
    break;
  default:
    console.error('usage: node scripts/workspace.mjs start|test|build|storybook|build-storybook');
    process.exit(2);
}
