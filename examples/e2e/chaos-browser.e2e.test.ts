import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watchProblems } from './harness.js';
import { startServer } from '../server/src/server.js';
// The chaos toolkit is test-only and not a public entry point of @xiaoer/adapters: read from source.
import { createChaosProxy, type ChaosProxy } from '../../packages/adapters/src/testing/chaos-proxy.js';
import { dropAcks } from '../../packages/adapters/src/testing/drop-acks.js';
import { seedFromEnv, seededRandom } from '../../packages/adapters/src/testing/random.js';
import type { ChaosPage } from './chaos-page/entry.js';

/**
 * The issue this guards, in a real browser: "nothing the buyer sent is ever lost or doubled, even
 * across page reloads". Headless Chromium runs the real client with its outbox in real IndexedDB
 * and the real WebSocket (then HTTP + SSE) transport, through a TCP proxy on 127.0.0.1 that cuts,
 * resets, stalls (half-open) and black-holes the link at seeded-random moments, while the server
 * drops a quarter of its acks and the test reloads the page in the middle of a batch of sends —
 * without waiting for anything to be acknowledged. Afterwards the server holds every message the
 * client had persisted exactly once, in the order written, and the page (reloaded once more) shows
 * each once, in order.
 *
 * A message counts as sent by the buyer once `sendText` resolved (the outbox is in IndexedDB).
 * A reload can land between the enqueue and that moment: such a message may arrive or not (the
 * buyer never saw it persisted), but never twice and never out of order.
 *
 * Loading the page never goes through the proxy (a reload must not depend on the link the test is
 * breaking). For HTTP + SSE, Playwright serves it (`context.route`) at the proxy's own origin: the
 * reference server sends no CORS headers, so EventSource and POSTs must be same-origin. For the
 * WebSocket, a small server on 127.0.0.1 serves it: Chromium's Local Network Access checks refuse
 * a WebSocket to 127.0.0.1 from a page that came from no address (a routed one).
 *
 * Replay a failure with the seed it prints: `XIAOER_CHAOS_SEED=<seed> npx vitest run --project e2e chaos-browser`.
 */

const MESSAGES = Number(process.env.XIAOER_CHAOS_MESSAGES ?? 2_000);
/** Network faults per run (cuts, resets, stalls, black holes). */
const FAULTS = Number(process.env.XIAOER_CHAOS_FAULTS ?? 30);
/** Page reloads per run, each in the middle of a batch of sends. */
const RELOADS = Number(process.env.XIAOER_CHAOS_RELOADS ?? 10);
/** Messages a batch hands to the page at once (all enqueued together). */
const BATCH = { min: 10, max: 50 };
/** Unsent commands past which the test waits before the next batch. */
const MAX_BACKLOG = 80;
/**
 * Hard stop for one adapter's run: the test fails rather than hangs (a stuck outbox fails sooner,
 * on the backlog wait below). A run takes 20–40 s over the WebSocket and 50–90 s over HTTP + SSE
 * (one POST per command, ~25 ms each in Chromium) on a 2-core machine shared with other work.
 */
const RUN_DEADLINE_MS = 140_000;

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles the page's entry with esbuild (vite's own copy), from the workspace's sources. */
async function bundlePage(): Promise<string> {
  const fromVite = createRequire(realpathSync(resolve(here, '../../node_modules/vite/package.json')));
  // esbuild is not a dependency of the workspace root, only of vite (and tsup): borrow vite's copy.
  const esbuild = fromVite('esbuild') as {
    build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
  };
  const result = await esbuild.build({
    entryPoints: [join(here, 'chaos-page/entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['xiaoer-source'],
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rejects with `what` (and the page's status) if `work` has not settled within `ms`. */
async function within<T>(ms: number, what: () => Promise<string> | string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => void Promise.resolve(what()).then((w) => reject(new Error(`${w}: not reached in ${ms} ms`)), reject), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type Adapter = 'websocket' | 'http';
type Fault = 'cut' | 'reset' | 'stall' | 'blackhole';

let browser: Browser;
let bundle: string;
const html = '<!doctype html><meta charset="utf-8"><title>xiaoer chaos</title><script type="module" src="/chaos/entry.js"></script>';
const pageFile = (path: string) =>
  path === '/chaos/entry.js' ? { contentType: 'text/javascript', body: bundle } : { contentType: 'text/html', body: html };

beforeAll(async () => {
  [browser, bundle] = await Promise.all([launchChromium(), bundlePage()]);
});
afterAll(async () => {
  await browser?.close();
});

async function chaosRun(adapter: Adapter) {
  const seed = seedFromEnv();
  // One stream per concern, so the fault schedule does not shift with how often the others draw.
  const faults = seededRandom(seed);
  const pacing = seededRandom(seed ^ 0x5bd1e995);
  const ackLoss = seededRandom(seed ^ 0x27d4eb2d);
  console.log(`[chaos-browser ${adapter}] seed ${seed} (XIAOER_CHAOS_SEED=${seed} reproduces the fault schedule)`);
  const cleanups: (() => Promise<unknown> | void)[] = [];
  try {
    const started = Date.now();
    const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-chaos-browser-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {}, heartbeatMs: 200 });
    cleanups.push(() => server.close());
    const acks = dropAcks(server.backend, { share: 0.25, random: ackLoss.next });
    cleanups.push(() => acks.restore());
    const proxy: ChaosProxy = await createChaosProxy({ targetPort: server.port });
    cleanups.push(() => proxy.close());

    const context = await browser.newContext();
    cleanups.push(() => context.close());
    let origin = `http://127.0.0.1:${proxy.port}`;
    if (adapter === 'http') {
      await context.route(`${origin}/chaos/**`, (route) => route.fulfill(pageFile(new URL(route.request().url()).pathname)));
    } else {
      const pages = createServer((req, res) => {
        const file = pageFile(new URL(req.url ?? '/', 'http://localhost').pathname);
        res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' }).end(file.body);
      });
      await new Promise<void>((ready) => pages.listen(0, '127.0.0.1', ready));
      cleanups.push(() => new Promise<void>((done) => (pages.closeAllConnections(), pages.close(() => done()))));
      origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    }

    // What the buyer has sent: per batch, the highest message number the page reported persisted.
    const batches: { from: number; to: number; confirmedTo: number }[] = [];
    const clientErrors: string[] = [];
    const page: Page = await context.newPage();
    const problems = watchProblems([page]);
    // Sends resolve in order within a page, so "n persisted" means all of its batch up to n.
    const confirmedUpTo = (n: number) => {
      const batch = batches.find((b) => b.from <= n && n <= b.to);
      if (batch) batch.confirmedTo = Math.max(batch.confirmedTo, n);
    };
    await page.exposeFunction('chaosConfirmed', confirmedUpTo);
    await page.exposeFunction('chaosError', (line: string) => void clientErrors.push(line));
    const namespace = `chaos-${adapter}-${seed}-${Date.now().toString(36)}`;
    await page.goto(`${origin}/chaos/index.html?adapter=${adapter}&ns=${namespace}&prefix=m&link=127.0.0.1:${proxy.port}`);
    const status = () => page.evaluate(() => JSON.stringify(window.chaos.status())).catch((e: unknown) => String(e));
    await within(10_000, async () => `first session (${await status()})`, page.evaluate(() => window.chaos.drained()));

    // The fault schedule: FAULTS network faults and RELOADS reloads at seeded message numbers, every
    // kind at least once; each let loose a seeded few milliseconds after the batch holding that
    // number was handed to the page, so it lands in whatever the link and the outbox are doing.
    const kinds: Fault[] = ['cut', 'reset', 'stall', 'blackhole'];
    while (kinds.length < FAULTS) kinds.push(faults.weighted({ cut: 3, reset: 3, stall: 2, blackhole: 1 }));
    const schedule = new Map<number, { fault: Fault; delayMs: number; stallMs: number }[]>();
    for (const fault of kinds) {
      const at = faults.int(10, MESSAGES - 10);
      schedule.set(at, [...(schedule.get(at) ?? []), { fault, delayMs: faults.int(0, 40), stallMs: faults.int(150, 1_000) }]);
    }
    const reloadsAt = Array.from({ length: RELOADS }, () => faults.int(20, MESSAGES - 20)).sort((a, b) => a - b);
    const figures = { cuts: 0, resets: 0, stalls: 0, blackholes: 0, reloads: 0, carried: 0, maxCarried: 0 };
    const timers = new Set<ReturnType<typeof setTimeout>>();
    cleanups.push(() => timers.forEach((t) => clearTimeout(t)));
    const inject = ({ fault, stallMs }: { fault: Fault; stallMs: number }) => {
      if (fault === 'cut') (proxy.cut(), figures.cuts++);
      else if (fault === 'reset') (proxy.reset(), figures.resets++);
      // Half-open: only the heartbeats can notice. Longer than the dead-link limit, or not.
      else if (fault === 'stall') (proxy.stall(stallMs), figures.stalls++);
      // Like a stall, but connections opened meanwhile are held too.
      else (proxy.stall(Math.round(stallMs * 0.7), { blackhole: true }), figures.blackholes++);
    };

    const confirmed = () => batches.reduce((sum, b) => sum + (b.confirmedTo >= b.from ? b.confirmedTo - b.from + 1 : 0), 0);
    let next = 1;
    while (confirmed() < MESSAGES || reloadsAt.length > 0) {
      if (Date.now() - started > RUN_DEADLINE_MS) throw new Error(`only ${confirmed()} messages persisted before the deadline (seed ${seed})`);
      // A buyer does not type on for ever into a chat that shows nothing going out.
      await within(20_000, async () => `backlog below ${MAX_BACKLOG} (${await status()}, seed ${seed})`, page.evaluate((n) => window.chaos.backlogBelow(n), MAX_BACKLOG));
      const from = next;
      const to = from + pacing.int(BATCH.min, BATCH.max) - 1;
      next = to + 1;
      const batch = { from, to, confirmedTo: from - 1 };
      batches.push(batch);
      for (let n = from; n <= to; n++) {
        for (const planned of schedule.get(n) ?? []) {
          const t = setTimeout(() => (timers.delete(t), inject(planned)), planned.delayMs);
          timers.add(t);
        }
      }
      const sending = page.evaluate(([a, count]) => window.chaos.sendBatch(a, count), [from, to - from + 1] as const);
      // At most one reload per batch: two reloads planned close together land in successive batches.
      if (reloadsAt.length > 0 && reloadsAt[0]! <= to) {
        reloadsAt.shift();
        sending.catch(() => {}); // the reload destroys the page it runs in
        // Mid-batch: some of it enqueued, some persisted, some on the wire, none necessarily acked.
        await sleep(pacing.int(0, 25));
        await page.reload();
        figures.reloads++;
        confirmedUpTo(await page.evaluate((key) => Number(localStorage.getItem(key) ?? 0), `chaos-confirmed:${namespace}`));
        const carried = await page.evaluate(() => window.chaos.carried());
        figures.carried += carried;
        figures.maxCarried = Math.max(figures.maxCarried, carried);
      } else {
        await sending;
        batch.confirmedTo = to;
      }
    }
    // The last faults' few milliseconds, then the link is left alone.
    await sleep(60);
    timers.forEach((t) => clearTimeout(t));
    proxy.resume();
    const sentAt = Date.now();
    await within(Math.max(10_000, RUN_DEADLINE_MS - (sentAt - started)), async () => `outbox drained (${await status()}, seed ${seed})`, page.evaluate(() => window.chaos.drained()));
    const elapsed = Date.now() - started;

    // ---- the server's record: every persisted message once, in the order written.
    const conversationId = (await page.evaluate(() => window.chaos.status())).conversationId!;
    const onServer = server.backend
      .messagesOf(conversationId)
      .filter((m) => m.author.role === 'buyer')
      .map((m) => (m.body.kind === 'text' ? m.body.text : `<${m.body.kind}>`));
    const textOf = (n: number) => `m-${String(n).padStart(5, '0')}`;
    const sent: string[] = [];
    const maybe = new Set<string>();
    for (const b of batches) {
      for (let n = b.from; n <= b.to; n++) {
        if (n <= b.confirmedTo) sent.push(textOf(n));
        else maybe.add(textOf(n));
      }
    }
    const seen = new Set(onServer);
    const lost = sent.filter((t) => !seen.has(t));
    const doubled = onServer.length - seen.size;
    const sentSet = new Set(sent);
    const strangers = onServer.filter((t) => !maybe.has(t) && !sentSet.has(t));
    const maybeArrived = [...maybe].filter((t) => seen.has(t)).length;
    const stats = proxy.stats();
    console.log(
      `[chaos-browser ${adapter}] seed ${seed}: ${sent.length} messages persisted (+${maybe.size} whose send had not resolved when a reload cut in, ${maybeArrived} of them arrived), ` +
        `${figures.cuts} cuts, ${figures.resets} resets, ${figures.stalls} stalls, ${figures.blackholes} black holes, ` +
        `${figures.reloads} reloads (${figures.carried} unacked commands carried across them in IndexedDB, up to ${figures.maxCarried} at once), ` +
        `${acks.dropped} of ${acks.seen} acks dropped, ${stats.connections} TCP connections, ` +
        `${elapsed} ms (drain after the last send ${Date.now() - sentAt} ms); lost ${lost.length}, doubled ${doubled}`,
    );
    expect(lost, `lost messages (seed ${seed})`).toEqual([]);
    expect(doubled, `doubled messages (seed ${seed})`).toBe(0);
    expect(strangers, `messages nobody sent (seed ${seed})`).toEqual([]);
    // In order: the server's list is the list written, minus only messages never persisted.
    const written = [...sent, ...maybe].sort();
    expect(onServer, `out of order (seed ${seed})`).toEqual(written.filter((t) => seen.has(t)));
    expect(sent.length).toBeGreaterThanOrEqual(MESSAGES);

    // ---- the page's own view after one more reload: from IndexedDB's cache plus the server's replay.
    await page.reload();
    await within(10_000, async () => `session after the final reload (${await status()})`, page.evaluate(() => window.chaos.drained()));
    const view = await page.evaluate(() => window.chaos.view());
    const shown = view.map((i) => i.text);
    expect(new Set(shown).size, `the page shows a message twice (seed ${seed})`).toBe(shown.length);
    expect(view.every((i) => i.delivery === 'sent'), 'every message shown as sent').toBe(true);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown, `the page's timeline is not the tail of the server's record (seed ${seed})`).toEqual(onServer.slice(onServer.length - shown.length));
    // The whole conversation from the page (older pages fetched from the server): each once, in order.
    const transcript = await page.evaluate(() => window.chaos.transcript());
    expect(transcript.split('\n').filter((line) => /^m-\d{5}$/.test(line)), `transcript (seed ${seed})`).toEqual(onServer);

    // The chaos was real: every kind of fault happened, reloads carried unacked commands in IndexedDB.
    expect(Math.min(figures.cuts, figures.resets, figures.stalls, figures.blackholes)).toBeGreaterThan(0);
    expect(figures.reloads).toBe(RELOADS);
    expect(figures.carried, 'reloads carried unacked commands across in IndexedDB').toBeGreaterThan(0);
    expect(acks.dropped).toBeGreaterThan(0);
    expect(clientErrors.filter((e) => e.startsWith('protocol') || e.startsWith('internal')), 'unexpected client errors').toEqual([]);
    expect(problems, 'page errors').toEqual([]);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

// One adapter after the other: side by side on 2 cores they took as long (the HTTP run slowed down
// by half), with less margin to the deadline.
describe('outbox under chaos in Chromium: IndexedDB, real reloads, nothing lost or doubled', () => {
  for (const [adapter, name] of [['websocket', 'WebSocket'], ['http', 'HTTP + SSE']] as const) {
    it(`${name}: ${MESSAGES} messages through cuts, resets, stalls, dropped acks and page reloads`, { timeout: 170_000 }, () => chaosRun(adapter));
  }
});
