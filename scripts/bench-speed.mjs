#!/usr/bin/env node
// Speed and memory of the widget in headless Chromium, next to a peer running the same scenario in
// the same run. Prints each figure, its ratio to the peer, and whether it meets the target; it never
// fails on a figure. Run after `npm run build` (it reads packages/*/dist): `npm run bench`.
//
//   launcher   time from the embed script's execution start to the launcher painted (target ≤ 50 ms)
//   open       a conversation of 10,000 messages, last message painted (≤ 100 ms), two ways:
//                from the launcher  the element is on the page, closed, as the script tag leaves it
//                                   once loaded; the buyer clicks the launcher (what a buyer waits for)
//                mounted open       an element created open; the only way a peer without a launcher
//                                   can run, so the like-for-like comparison
//   scroll     bottom → top → bottom of those 10,000 in steps of one frame: longest task (≤ 50 ms),
//              total blocking time, longest frame
//   heap       JS heap after a forced GC with the 10,000 open, minus the same page before (≤ 20 MB);
//              DOM nodes live outside the JS heap, so a peer that renders all 10,000 is not charged for them
//
// The widget's page is bundled from its sources with the script-tag build's template minifier: it runs
// the code a script tag gets. Peers are installed from the npm registry into a scratch folder and bundled by esbuild, as in
// bench-size.mjs. deep-chat takes a `history` of 10,000 messages and has no launcher;
// react-chat-widget has a launcher but adds messages one call (one re-render of all) at a time, so
// it runs only the launcher scenario; @botpress/webchat needs its cloud backend to show anything.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { bundleIife, installScratch, requireRoot, root, widgetTemplateMinifier } from './bench-bundle.mjs';

const { chromium } = requireRoot('playwright-core');

const COUNT = 10_000;
const RUNS = 5; // open is timed this many times on fresh pages; the median is printed
const TARGET = { launcher: 50, open: 100, longestTask: 50, heapMB: 20 };
const DIST = join(root, 'packages/widget/dist');
const EMBED = join(DIST, 'xiaoer.js');

for (const built of [EMBED, join(root, 'packages/widget/dist/define.js'), join(root, 'packages/core/dist/index.js')]) {
  if (!existsSync(built)) {
    console.error(`build first (npm run build): ${built} is missing`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------- the pages

/** Runs in the page before the widget's code: the harness every scenario uses (window.bench). */
const HARNESS = `
const LONG = ' and a longer answer that wraps over several lines of the panel'.repeat(3);
const texts = (n) => Array.from({ length: n }, (_, i) => 'message ' + (i + 1) + ((i + 1) % 7 === 0 ? LONG : ''));
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
function deepFromPoint(x, y) {
  let el = document.elementFromPoint(x, y);
  while (el && el.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}
/** The widget's message scroller: from the adapter's messages element, the first that scrolls. */
function scroller() {
  for (let el = window.adapter.messages(); el; el = el.parentElement) {
    const y = getComputedStyle(el).overflowY;
    if (y === 'auto' || y === 'scroll') return el;
  }
  return null;
}
/** Whether a message with this exact number shows (is hit-testable) in the scroller near an edge. */
function showing(s, n, edge) {
  if (!s) return false;
  const r = s.getBoundingClientRect();
  const re = new RegExp('message ' + n + '(?!\\\\d)');
  for (let dy = 8; dy < Math.min(r.height, 260); dy += 12) {
    for (const fx of [0.2, 0.5, 0.8]) {
      const el = deepFromPoint(r.left + r.width * fx, edge === 'bottom' ? r.bottom - dy : r.top + dy);
      // A message's own element, not a container of many.
      if (el && el !== s && s.contains(el) && el.textContent.length < 1000 && re.test(el.textContent)) return true;
    }
  }
  return false;
}
/** ms from t0 until message n shows at the bottom of the scroller and that frame has ended. */
async function untilLastPainted(n, t0) {
  let s = null;
  for (;;) {
    await frame();
    s = s && s.isConnected ? s : scroller();
    if (showing(s, n, 'bottom')) break;
    if (performance.now() - t0 > 30_000) return -1;
  }
  await frame(); // the frame that painted it has ended
  return performance.now() - t0;
}
window.bench = {
  texts,
  /** Mounts the widget open on prepared data; resolves with ms until the last message is painted. */
  async open(n) {
    await window.adapter.prepare(texts(n));
    await frame();
    const t0 = performance.now();
    window.adapter.mount();
    return untilLastPainted(n, t0);
  },
  /** Mounts it closed, lets it settle, clicks the launcher; ms from the click to the last message painted. */
  async openFromLauncher(n) {
    await window.adapter.prepare(texts(n));
    window.adapter.mountClosed();
    for (let i = 0; i < 3; i++) await frame();
    await new Promise((r) => requestIdleCallback(r));
    await frame();
    const t0 = performance.now();
    window.adapter.clickLauncher();
    return untilLastPainted(n, t0);
  },
  /** Bottom → top → bottom, one step per frame; longest task, blocking time, longest frame. */
  async scroll(n) {
    const s = scroller();
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
    observer.observe({ type: 'longtask' });
    const step = Math.max(s.clientHeight * 0.9, s.scrollHeight / 400);
    let frames = 0;
    let longestFrame = 0;
    let last = performance.now();
    const t0 = last;
    const tick = async () => {
      await frame();
      const now = performance.now();
      longestFrame = Math.max(longestFrame, now - last);
      last = now;
      frames++;
    };
    // At most a minute each way: a peer that takes longer has answered the question.
    const until = () => performance.now() - t0 < 60_000;
    for (let i = 0; i < 5000 && s.scrollTop > 0 && until(); i++) {
      s.scrollTop = Math.max(0, s.scrollTop - step);
      await tick();
    }
    await tick();
    await tick();
    const reachedFirst = showing(s, 1, 'top');
    for (let i = 0; i < 5000 && s.scrollTop + s.clientHeight < s.scrollHeight - 1 && until(); i++) {
      s.scrollTop = s.scrollTop + step;
      await tick();
    }
    await tick();
    await tick();
    const reachedLast = showing(s, n, 'bottom');
    await new Promise((r) => setTimeout(r, 100)); // let the observer deliver
    observer.disconnect();
    const durations = tasks.map((t) => t.duration);
    return {
      frames,
      ms: performance.now() - t0,
      longestTask: durations.length ? Math.max(...durations) : 0,
      longTasks: durations.length,
      blocking: durations.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      longestFrame,
      reachedFirst,
      reachedLast,
    };
  },
  rows() {
    const s = scroller();
    return s ? s.querySelectorAll('li, [class*="message"]').length : 0;
  },
};
`;

/** Each widget: an entry bundled after the harness, setting window.adapter = { prepare(texts), mount() }. */
const XIAOER_ENTRY = `
import '@xiaoer/widget/define';
import { createClient, createMemoryStorage } from '@xiaoer/core';
import { CONVERSATION_ID, MockTransport, readyFrame } from '@xiaoer/core/test';
let client;
window.adapter = {
  async prepare(texts) {
    const storage = createMemoryStorage();
    const messages = texts.map((text, i) => ({
      id: 'm_' + (i + 1), conversationId: CONVERSATION_ID, seq: i + 1,
      author: i % 3 === 2 ? { role: 'buyer' } : { role: 'bot' },
      body: { kind: 'text', text }, createdAt: 1_700_000_000_000 + i * 1000,
    }));
    await storage.set('xiaoer:conversation', { conversationId: CONVERSATION_ID, lastSeq: texts.length, routing: { phase: 'bot' }, messages });
    const transport = new MockTransport();
    client = createClient({ transport, storage });
    await client.start();
    transport.open();
    transport.receive(readyFrame({ lastSeq: texts.length }));
  },
  mount() {
    const chat = document.createElement('xiaoer-chat');
    chat.client = client;
    chat.open = true;
    document.body.append(chat);
  },
  mountClosed() {
    const chat = document.createElement('xiaoer-chat');
    chat.client = client;
    document.body.append(chat);
  },
  clickLauncher() {
    document.querySelector('xiaoer-chat').shadowRoot.querySelector('[part~="launcher"]').click();
  },
  messages: () => document.querySelector('xiaoer-chat')?.shadowRoot?.querySelector('[part~="messages"]'),
};
`;

const DEEP_CHAT_ENTRY = `
import 'deep-chat';
let history;
window.adapter = {
  prepare(texts) {
    history = texts.map((text, i) => ({ role: i % 3 === 2 ? 'user' : 'ai', text }));
  },
  mount() {
    const chat = document.createElement('deep-chat');
    chat.history = history;
    // The same box as the Xiaoer panel on a desktop screen.
    chat.style.cssText = 'position:fixed;right:20px;bottom:96px;width:380px;height:600px';
    document.body.append(chat);
  },
  messages: () => document.querySelector('deep-chat')?.shadowRoot?.querySelector('#messages'),
};
`;

const RCW_LAUNCHER_ENTRY = `
import React from 'react';
import { render } from 'react-dom';
import { Widget } from 'react-chat-widget';
import css from 'react-chat-widget/lib/styles.css';
const style = document.createElement('style');
style.textContent = css;
document.head.append(style);
const div = document.createElement('div');
document.body.append(div);
render(React.createElement(Widget, { title: 'Support', subtitle: '' }), div);
`;

const bundle = async (contents, resolveDir) => (await bundleIife(contents, resolveDir)).toString();
const install = (deps) => installScratch(deps, 'xiaoer-bench-speed-');

const page = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body><script>${HARNESS}</script><script src="${script}"></script></body></html>`;

/**
 * HOOK — launcher visible after the loader runs. Today it points at dist/xiaoer.js (the whole
 * script-tag build); when the loader (packages/widget/src/loader*.ts) ships, point LOADER_FILE (and
 * LOADER_TAG's attributes) at it: the measure is the same. Start: the loader script's execution,
 * taken as the end of its download (a parser-blocking script runs as soon as it arrives); end: the
 * frame after the first one in which an element with part~="launcher" (or the peer's launcher
 * selector) has a size.
 */
const LOADER_FILE = EMBED;
const LOADER_TAG = (src) => `<script src="${src}" data-server="ws://127.0.0.1:9/none"></script>`;

const launcherPage = (tag, selector) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body>
<script>
(function () {
  function* deep(node) { for (const el of node.querySelectorAll('*')) { yield el; if (el.shadowRoot) yield* deep(el.shadowRoot); } }
  function find() { for (const el of deep(document)) if (el.matches(${JSON.stringify(selector)})) { const r = el.getBoundingClientRect(); if (r.width > 0 && r.height > 0) return el; } return null; }
  function poll() {
    if (!find()) return requestAnimationFrame(poll);
    requestAnimationFrame(function () {
      const script = performance.getEntriesByType('resource').find(function (e) { return e.initiatorType === 'script'; });
      window.__launcher = performance.now() - (script ? script.responseEnd : 0);
    });
  }
  requestAnimationFrame(poll);
})();
</script>
${tag}
</body></html>`;

// ---------------------------------------------------------------- serve and drive

const files = new Map(); // path → { type, body }
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  let file = files.get(path);
  // /dist/… is the widget's build as a shop would host it (the loader may fetch chunks beside it).
  if (!file && path.startsWith('/dist/') && !path.includes('..') && existsSync(join(DIST, path.slice(6)))) {
    file = { type: path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream', body: readFileSync(join(DIST, path.slice(6))) };
  }
  if (!file) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const serve = (path, body, type = 'text/html') => files.set(path, { type, body });

const scratch = [];
const widgets = []; // { name, html (open/scroll/heap page) | error, launcher page | reason }
try {
  serve('/xiaoer.html', page('/xiaoer-bench.js'));
  const asScriptTag = { conditions: ['xiaoer-source'], plugins: [await widgetTemplateMinifier()] };
  serve('/xiaoer-bench.js', (await bundleIife(XIAOER_ENTRY, root, asScriptTag)).toString(), 'text/javascript');
  serve('/xiaoer-launcher.html', launcherPage(LOADER_TAG(`/dist/${LOADER_FILE.slice(DIST.length + 1)}`), '[part~="launcher"]'));
  widgets.push({ name: 'xiaoer', page: '/xiaoer.html', launcher: '/xiaoer-launcher.html', launcherOpen: true });
} catch (error) {
  console.error('could not bundle the widget:', error.message);
  process.exit(1);
}
for (const peer of [
  { name: 'deep-chat', deps: ['deep-chat@2.4.2'], entry: DEEP_CHAT_ENTRY, launcherReason: 'no launcher (an inline element)' },
  { name: 'react-chat-widget', deps: ['react-chat-widget@3.1.4', 'react@17', 'react-dom@17'], launcherEntry: RCW_LAUNCHER_ENTRY, launcherSelector: '.rcw-launcher', reason: 'no bulk history: messages are added one call at a time' },
  { name: '@botpress/webchat', reason: 'needs its cloud backend (a client id) to render', launcherReason: 'needs its cloud backend' },
]) {
  const row = { name: peer.name };
  try {
    if (peer.deps) {
      const dir = install(peer.deps);
      scratch.push(dir);
      if (peer.entry) {
        serve(`/${peer.name}.html`, page(`/${peer.name}.js`));
        serve(`/${peer.name}.js`, await bundle(peer.entry, dir), 'text/javascript');
        row.page = `/${peer.name}.html`;
      }
      if (peer.launcherEntry) {
        serve(`/${peer.name}-launcher.js`, await bundle(peer.launcherEntry, dir), 'text/javascript');
        serve(`/${peer.name}-launcher.html`, launcherPage(`<script src="/${peer.name}-launcher.js"></script>`, peer.launcherSelector));
        row.launcher = `/${peer.name}-launcher.html`;
      }
    }
  } catch (error) {
    row.error = String(error.message ?? error).split('\n')[0];
  }
  row.reason = row.error ?? peer.reason;
  row.launcherReason = row.error ?? peer.launcherReason;
  widgets.push(row);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

async function withPage(path, work) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  try {
    await p.goto(origin + path, { waitUntil: 'load' });
    return await work(p);
  } finally {
    await context.close();
    if (errors.length) console.error(`  (${path}: page errors: ${errors.slice(0, 2).join(' | ')})`);
  }
}

async function heapUsed(p) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(); // name → { launcher, open, scroll, heapMB }
for (const w of widgets) {
  const r = {};
  results.set(w.name, r);
  if (w.launcher) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      times.push(await withPage(w.launcher, async (p) => (await p.waitForFunction(() => window.__launcher, null, { timeout: 30_000 })).jsonValue()));
    }
    r.launcher = median(times);
    console.error(`  ${w.name} launcher: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  }
  if (!w.page) continue;
  const opens = [];
  for (let i = 0; i < RUNS; i++) opens.push(await withPage(w.page, (p) => p.evaluate((n) => window.bench.open(n), COUNT)));
  r.open = median(opens);
  console.error(`  ${w.name} open (mounted open): ${opens.map((t) => t.toFixed(0)).join(', ')} ms`);
  if (w.launcherOpen) {
    const clicks = [];
    for (let i = 0; i < RUNS; i++) clicks.push(await withPage(w.page, (p) => p.evaluate((n) => window.bench.openFromLauncher(n), COUNT)));
    r.openFromLauncher = median(clicks);
    console.error(`  ${w.name} open (from the launcher): ${clicks.map((t) => t.toFixed(0)).join(', ')} ms`);
  }
  r.scroll = await withPage(w.page, async (p) => {
    await p.evaluate((n) => window.bench.open(n), COUNT);
    const figures = await p.evaluate((n) => window.bench.scroll(n), COUNT);
    return { ...figures, rows: await p.evaluate(() => window.bench.rows()) };
  });
  console.error(`  ${w.name} scroll: ${JSON.stringify(r.scroll)}`);
  r.heapMB = await withPage(w.page, async (p) => {
    const before = await heapUsed(p);
    await p.evaluate((n) => window.bench.open(n), COUNT);
    return ((await heapUsed(p)) - before) / 2 ** 20;
  });
  console.error(`  ${w.name} heap: ${r.heapMB.toFixed(1)} MB`);
}
await browser.close();
server.close();
for (const dir of scratch) rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------- print

const ours = results.get('xiaoer');
const peerNames = widgets.slice(1).map((w) => w.name);
/** The best peer figure for a metric (lower is better), and whose it is. */
function bestPeer(get) {
  let best;
  for (const name of peerNames) {
    const value = get(results.get(name) ?? {});
    if (typeof value === 'number' && value >= 0 && (!best || value < best.value)) best = { name, value };
  }
  return best;
}
const fmt = (v, unit) => (typeof v !== 'number' ? '—' : v < 0 ? 'did not finish' : `${v.toFixed(unit === 'MB' ? 1 : 0)} ${unit}`);
function line(label, get, unit, target) {
  const value = get(ours);
  const best = bestPeer(get);
  const ratio = !best
    ? 'no peer ran this'
    : typeof value === 'number' && best.value > 0
      ? `${(value / best.value).toFixed(2)}× ${best.name} (${fmt(best.value, unit)})`
      : `— ${best.name} ${fmt(best.value, unit)}`;
  const meets = target === undefined || typeof value !== 'number' ? '' : value >= 0 && value <= target ? `meets ≤ ${target} ${unit}` : `MISSES ≤ ${target} ${unit}`;
  console.log(`${label.padEnd(34)} ${fmt(value, unit).padEnd(12)} ${ratio.padEnd(40)} ${meets}`);
}

console.log(`speed in headless Chromium (${COUNT.toLocaleString('en')} messages; open and launcher: median of ${RUNS} fresh pages)`);
console.log(`${'figure'.padEnd(34)} ${'xiaoer'.padEnd(12)} ${'vs best peer'.padEnd(40)} target`);
line('launcher visible after loader', (r) => r.launcher, 'ms', TARGET.launcher);
line('open from the launcher', (r) => r.openFromLauncher, 'ms', TARGET.open);
line('open: mounted open', (r) => r.open, 'ms', TARGET.open);
line('scroll end to end: longest task', (r) => r.scroll?.longestTask, 'ms', TARGET.longestTask);
line('scroll: total blocking time', (r) => r.scroll?.blocking, 'ms');
line('scroll: longest frame', (r) => r.scroll?.longestFrame, 'ms');
line('JS heap with the conversation open', (r) => r.heapMB, 'MB', TARGET.heapMB);
console.log('');
for (const w of widgets) {
  const r = results.get(w.name);
  const s = r?.scroll;
  const notes = [];
  if (s) notes.push(`scroll: ${s.frames} frames in ${s.ms.toFixed(0)} ms, ${s.longTasks} long tasks, first message reached: ${s.reachedFirst}, last again: ${s.reachedLast}, elements in the scroller after: ${s.rows}`);
  if (!w.page) notes.push(`open/scroll/heap not run: ${w.reason}`);
  if (!w.launcher) notes.push(`launcher not run: ${w.launcherReason ?? 'n/a'}`);
  console.log(`${w.name}: ${notes.join('; ')}`);
}
console.log(`launcher source: ${LOADER_FILE.replace(root + '/', '')} (${readFileSync(LOADER_FILE).length} bytes)`);
