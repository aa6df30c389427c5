import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { EventSource } from 'eventsource';
import { createClient, createMemoryStorage, selectTimeline, type Storage, type Transport, type XiaoerClient } from '@xiaoer/core';
import { createWebSocketTransport, type WebSocketConstructor } from '@xiaoer/adapters/websocket';
import { createHttpTransport, type EventSourceConstructor } from '@xiaoer/adapters/http';
// The chaos toolkit is test-only and deliberately not a public entry point of @xiaoer/adapters. It
// is imported through the workspace link rather than by a plain relative path so that TypeScript
// treats it like the package's other sources (a relative path would fall outside this rootDir).
import { createChaosProxy } from '../node_modules/@xiaoer/adapters/src/testing/chaos-proxy.js';
import { dropAcks } from '../node_modules/@xiaoer/adapters/src/testing/drop-acks.js';
import { refuseCommands } from '../node_modules/@xiaoer/adapters/src/testing/refuse-commands.js';
import { seedFromEnv, seededRandom, type SeededRandom } from '../node_modules/@xiaoer/adapters/src/testing/random.js';
import { MockTransport, readyFrame, messageFrame } from '@xiaoer/core/test';
import { sleep, waitUntil } from './test-support/wait.js';
import { startServer } from './server.js';

/**
 * The issue this guards: "nothing the buyer sent is ever lost or doubled". One buyer sends 2,000
 * messages through a proxy on 127.0.0.1 that cuts, resets, stalls and black-holes the link at
 * seeded-random moments, while the server drops a quarter of its acks and now and then answers a
 * command with a transient (retryable) refusal, and the page "reloads" (a new client over the same
 * storage). Afterwards the server holds every message exactly once, in the order it was written,
 * and the client shows each once.
 *
 * Reproduce a failure with the seed it prints: `XIAOER_CHAOS_SEED=<seed> npx vitest run --project unit outbox.chaos`.
 */

const MESSAGES = Number(process.env.XIAOER_CHAOS_MESSAGES ?? 2_000);
/**
 * Hard stop for one run: the test fails rather than hangs. HTTP + SSE takes 25–45 s on an idle
 * 2-core machine and passed 50 s when `npm test` shared it with other work.
 */
const RUN_DEADLINE_MS = 100_000;
/** Unsent messages past which the simulated buyer waits before typing more. */
const MAX_BACKLOG = 50;
/** Faults per run (cuts, resets, stalls, black holes, reloads, transient refusals). */
const FAULTS = Number(process.env.XIAOER_CHAOS_FAULTS ?? 40);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


const until = (check: () => boolean, timeoutMs: number, what: string) => waitUntil(check, what, timeoutMs);

const textOf = (n: number) => `msg-${String(n).padStart(5, '0')}`;

/**
 * One page's view of the device storage. `unload()` is the page going away: from then on its
 * writes are lost instead of landing after the next page has read the storage.
 */
function pageStorage(device: Storage): Storage & { unload(): void } {
  let alive = true;
  return {
    get: (key) => device.get(key),
    set: (key, value) => (alive ? device.set(key, value) : Promise.resolve()),
    update: (key, updater) => (alive ? device.update(key, updater) : Promise.resolve()),
    del: (key) => (alive ? device.del(key) : Promise.resolve()),
    unload() {
      alive = false;
    },
  };
}

type Adapter = 'websocket' | 'http';

function transportFor(adapter: Adapter, port: number, rng: SeededRandom): Transport {
  const backoff = { baseMs: 10, maxMs: 200, random: rng.next };
  if (adapter === 'websocket') {
    return createWebSocketTransport({
      url: `ws://127.0.0.1:${port}/xiaoer/ws`,
      WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
      heartbeatMs: 100,
      deadAfterMs: 400,
      backoff,
    });
  }
  return createHttpTransport({
    url: `http://127.0.0.1:${port}/xiaoer/http`,
    EventSource: EventSource as unknown as EventSourceConstructor,
    deadAfterMs: 500,
    backoff,
  });
}

async function chaosRun(adapter: Adapter, cleanups: (() => Promise<void> | void)[]) {
  const seed = seedFromEnv();
  // One stream per concern, so the fault schedule does not shift with how often the others draw.
  const faults = seededRandom(seed);
  const pacing = seededRandom(seed ^ 0x5bd1e995);
  const ackLoss = seededRandom(seed ^ 0x27d4eb2d);
  const jitter = seededRandom(seed ^ 0x165667b1);
  console.log(`[chaos ${adapter}] seed ${seed} (XIAOER_CHAOS_SEED=${seed} reproduces the fault schedule)`);
  const started = Date.now();

  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-chaos-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {}, heartbeatMs: 200 });
  cleanups.push(() => server.close());
  const acks = dropAcks(server.backend, { share: 0.25, random: ackLoss.next });
  cleanups.push(() => acks.restore());
  // A few commands meet a transient server error (retryable nack, on the fault schedule below):
  // retried later, never reordered.
  const refusals = refuseCommands(server.backend, { share: 0 });
  cleanups.push(() => refusals.restore());
  const proxy = await createChaosProxy({ targetPort: server.port });
  cleanups.push(() => proxy.close());

  // What survives a page reload: the storage. Everything else is made again.
  const storage = createMemoryStorage();
  let page = pageStorage(storage);
  const errors: string[] = [];
  let downSince: number | null = null;
  let downMs = 0;
  let outages = 0;
  const makeClient = () => {
    const c = createClient({ transport: transportFor(adapter, proxy.port, jitter), storage: page, locale: 'en', ackTimeoutMs: 300 });
    c.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
    c.on('connection:changed', (state) => {
      const t = Date.now();
      if (state.status === 'online') {
        if (downSince !== null) downMs += t - downSince;
        downSince = null;
      } else if (downSince === null) {
        downSince = t;
        outages++;
      }
    });
    return c;
  };
  let client: XiaoerClient = makeClient();
  cleanups.push(() => client.stop());
  await client.start();
  await until(() => client.getSnapshot().connection.status === 'online', 5_000, 'first session');
  const conversationId = client.getSnapshot().conversationId!;

  const figures = { messages: MESSAGES, cuts: 0, resets: 0, stalls: 0, blackholes: 0, reloads: 0 };
  let reloadWanted = false;

  const reload = async () => {
    // The old page is gone at once: its link closes, and writes it had not finished are lost (a
    // real page cannot finish them after it unloaded). Only what was already stored survives.
    const old = client;
    page.unload();
    old.stop();
    page = pageStorage(storage);
    client = makeClient();
    figures.reloads++;
    await client.start();
  };

  // The fault schedule: FAULTS faults at seeded message numbers (every kind early on, then a
  // seeded mix), each let loose a seeded few milliseconds after that message was written, so it
  // lands in whatever the link is doing then. A fixed count, not a rate: a slower run does not
  // draw more faults and so does not slow itself down further.
  type Fault = 'cut' | 'reset' | 'stall' | 'blackhole' | 'reload' | 'refusal';
  const kinds: Fault[] = ['cut', 'reset', 'stall', 'blackhole', 'reload', 'refusal'];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = faults.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  while (kinds.length < FAULTS) kinds.push(faults.weighted({ cut: 3, reset: 3, stall: 2, blackhole: 1, reload: 2, refusal: 0.5 }));
  const positions = Array.from({ length: FAULTS }, () => faults.int(10, MESSAGES - 10)).sort((a, b) => a - b);
  const schedule = new Map<number, { fault: Fault; delayMs: number; stallMs: number }[]>();
  positions.forEach((at, i) => {
    const planned = { fault: kinds[i]!, delayMs: faults.int(0, 30), stallMs: faults.int(150, 1_000) };
    schedule.set(at, [...(schedule.get(at) ?? []), planned]);
  });

  const inject = ({ fault, stallMs }: { fault: Fault; stallMs: number }) => {
    switch (fault) {
      case 'cut':
        proxy.cut();
        figures.cuts++;
        break;
      case 'reset':
        proxy.reset();
        figures.resets++;
        break;
      case 'stall':
        // Half-open: only the heartbeats can notice. Longer than the dead-link limit, or not.
        proxy.stall(stallMs);
        figures.stalls++;
        break;
      case 'blackhole':
        // Like a stall, but connections opened meanwhile are held too.
        proxy.stall(Math.round(stallMs * 0.7), { blackhole: true });
        figures.blackholes++;
        break;
      case 'reload':
        reloadWanted = true;
        break;
      case 'refusal':
        // The server's next command meets a transient error (retryable nack).
        refusals.refuseNext();
        break;
    }
  };

  const sender = (async () => {
    for (let n = 1; n <= MESSAGES; n++) {
      if (reloadWanted) {
        reloadWanted = false;
        await reload();
      }
      await client.sendText(textOf(n));
      for (const planned of schedule.get(n) ?? []) setTimeout(() => inject(planned), planned.delayMs);
      // A buyer types at some pace (here a very fast one), and does not type on for ever into a
      // chat that shows nothing going out: past a backlog they wait, as people do.
      if (pacing.chance(0.3)) await sleep(pacing.int(0, 4));
      while (client.getSnapshot().outbox.length >= MAX_BACKLOG) await sleep(5);
      if (Date.now() - started > RUN_DEADLINE_MS) throw new Error(`sent only ${n} messages before the deadline`);
    }
    if (reloadWanted) await reload();
  })();
  await sender;
  await sleep(60); // the last faults' few milliseconds
  proxy.resume();
  const sentAt = Date.now();
  await until(
    () => {
      const s = client.getSnapshot();
      return s.connection.status === 'online' && s.outbox.length === 0;
    },
    Math.max(5_000, RUN_DEADLINE_MS - (sentAt - started)),
    `outbox drained (${client.getSnapshot().outbox.length} left, link ${client.getSnapshot().connection.status})`,
  );
  const elapsed = Date.now() - started;

  // ---- the server's record: every message once, in the order written.
  const mine = server.backend.messagesOf(conversationId).filter((m) => m.author.role === 'buyer');
  const texts = mine.map((m) => (m.body.kind === 'text' ? m.body.text : `<${m.body.kind}>`));
  const expected = Array.from({ length: MESSAGES }, (_, i) => textOf(i + 1));
  const seen = new Set(texts);
  const lost = expected.filter((t) => !seen.has(t));
  const doubledByText = texts.length - seen.size;
  const clientIds = mine.map((m) => m.clientId);
  const doubledByClientId = clientIds.length - new Set(clientIds).size;

  const stats = proxy.stats();
  console.log(
    `[chaos ${adapter}] seed ${seed}: ${MESSAGES} messages, ${figures.cuts} cuts, ${figures.resets} resets, ` +
      `${figures.stalls} stalls, ${figures.blackholes} black holes, ${figures.reloads} reloads, ` +
      `${acks.dropped} of ${acks.seen} acks dropped (${acks.seen - MESSAGES} acks for resent commands), ${refusals.refused} transient refusals, ` +
      `${stats.connections} TCP connections, ${Math.round(stats.bytesUp / 1024)} KiB up / ${Math.round(stats.bytesDown / 1024)} KiB down, ` +
      `${elapsed} ms (${outages} outages, ${downMs} ms not online; drain after the last send ${Date.now() - sentAt} ms); ` +
      `lost ${lost.length}, doubled ${doubledByText} by text / ${doubledByClientId} by clientId`,
  );

  expect(lost, `lost messages (seed ${seed})`).toEqual([]);
  expect(doubledByText, `doubled by text (seed ${seed})`).toBe(0);
  expect(doubledByClientId, `doubled by clientId (seed ${seed})`).toBe(0);
  expect(clientIds.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
  const firstOutOfOrder = texts.findIndex((t, i) => t !== expected[i]);
  expect(firstOutOfOrder, `out of order from position ${firstOutOfOrder}: ${texts.slice(Math.max(0, firstOutOfOrder - 2), firstOutOfOrder + 3).join(', ')} (seed ${seed})`).toBe(-1);

  // ---- the client's view. The timeline holds what this page knows (a reload brings back the last
  // cached page of history, and everything after it): no message twice, all sent, in order, none
  // missing from the point it starts, and under the server's own clientIds.
  const timeline = selectTimeline(client.getSnapshot()).filter((i) => i.author.role === 'buyer');
  const shown = timeline.map((i) => (i.body.kind === 'text' ? i.body.text : ''));
  expect(new Set(shown).size, `timeline shows a message twice (seed ${seed})`).toBe(shown.length);
  expect(new Set(timeline.map((i) => i.key)).size).toBe(timeline.length);
  expect(timeline.every((i) => i.delivery === 'sent')).toBe(true);
  expect(shown.length).toBeGreaterThan(0);
  expect(shown, `timeline is not the tail of what was sent (seed ${seed})`).toEqual(expected.slice(expected.length - shown.length));
  const byText = new Map(mine.map((m) => [m.body.kind === 'text' ? m.body.text : '', m.clientId]));
  expect(timeline.every((i) => i.body.kind === 'text' && byText.get(i.body.text) === i.key)).toBe(true);

  // The whole conversation from the client's side (older pages fetched from the server): each once.
  const transcript = await client.transcript({ locale: 'en' });
  const inTranscript = transcript.split('\n').filter((line) => /^msg-\d{5}$/.test(line));
  expect(inTranscript, `transcript (seed ${seed})`).toEqual(expected);

  // The faults were real: every kind happened, and the link came back from each.
  expect(Math.min(figures.cuts, figures.resets, figures.stalls, figures.blackholes, figures.reloads)).toBeGreaterThan(0);
  expect(acks.dropped).toBeGreaterThan(0);
  expect(refusals.refused).toBeGreaterThan(0);
  expect(errors.filter((e) => e.startsWith('protocol') || e.startsWith('internal')), 'unexpected client errors').toEqual([]);
}

/**
 * A link that goes half-open (no byte passes, nothing closes) must not hold the buyer's messages
 * back once the client has noticed and opened a new link: they go out on the new one, long before
 * the dead one would time out.
 */
async function halfOpenRun(adapter: Adapter, cleanups: (() => Promise<void> | void)[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-chaos-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {}, heartbeatMs: 200 });
  cleanups.push(() => server.close());
  const proxy = await createChaosProxy({ targetPort: server.port });
  cleanups.push(() => proxy.close());
  const client = createClient({ transport: transportFor(adapter, proxy.port, seededRandom(1)), locale: 'en', ackTimeoutMs: 300 });
  cleanups.push(() => client.stop());
  await client.start();
  await until(() => client.getSnapshot().connection.status === 'online', 5_000, 'first session');
  await client.sendText('before the stall');
  await until(() => client.getSnapshot().outbox.length === 0, 5_000, 'first message delivered');

  // Existing connections freeze for far longer than any timeout in play; new ones work.
  proxy.stall(20_000);
  const stalledAt = Date.now();
  await client.sendText('during the stall');
  await until(() => client.getSnapshot().outbox.length === 0, 10_000, `message sent during a half-open stall (${adapter})`);
  const deliveredIn = Date.now() - stalledAt;
  proxy.resume();
  console.log(`[chaos ${adapter}] half-open link: message delivered over a new link ${deliveredIn} ms after the stall began`);
  const mine = server.backend.messagesOf(client.getSnapshot().conversationId!).filter((m) => m.author.role === 'buyer');
  expect(mine.map((m) => (m.body.kind === 'text' ? m.body.text : ''))).toEqual(['before the stall', 'during the stall']);
  expect(deliveredIn).toBeLessThan(5_000);
}

/**
 * The network goes dark while the client reconnects: its new connection's handshake is swallowed
 * too. When the network comes back (new connections work), the client must not sit on the dead
 * handshake until the operating system gives up on it.
 */
async function darkHandshakeRun(adapter: Adapter, cleanups: (() => Promise<void> | void)[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-chaos-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {}, heartbeatMs: 200 });
  cleanups.push(() => server.close());
  const proxy = await createChaosProxy({ targetPort: server.port });
  cleanups.push(() => proxy.close());
  const client = createClient({ transport: transportFor(adapter, proxy.port, seededRandom(2)), locale: 'en', ackTimeoutMs: 300 });
  cleanups.push(() => client.stop());
  await client.start();
  await until(() => client.getSnapshot().connection.status === 'online', 5_000, 'first session');

  proxy.stall(20_000, { blackhole: true });
  await until(() => client.getSnapshot().connection.status !== 'online', 5_000, 'dead link noticed');
  await client.sendText('written in the dark');
  // Long enough for the client to have dialled into the black hole at least once.
  await sleep(1_000);
  const before = proxy.stats().connections;
  proxy.admitNew();
  const admittedAt = Date.now();
  await until(() => client.getSnapshot().outbox.length === 0, 10_000, `message delivered after the network came back (${adapter})`);
  const deliveredIn = Date.now() - admittedAt;
  proxy.resume();
  console.log(`[chaos ${adapter}] dark handshake: delivered ${deliveredIn} ms after new connections worked again (${before} connections before)`);
  expect(deliveredIn).toBeLessThan(5_000);
}

/** Runs `test` with its own clean-up list: the tests below run side by side. */
async function isolated(test: (cleanups: (() => Promise<void> | void)[]) => Promise<void>): Promise<void> {
  const own: (() => Promise<void> | void)[] = [];
  try {
    await test(own);
  } finally {
    for (const c of own.reverse()) await c();
  }
}

// Each test has its own server, proxy and storage, and much of their time is spent waiting out
// faults: side by side they take about as long as the slowest.
describe.concurrent('outbox under chaos: nothing the buyer sent is lost or doubled', () => {
  for (const [adapter, name] of [['websocket', 'WebSocket'], ['http', 'HTTP + SSE']] as const) {
    it(`${name}: ${MESSAGES} messages through cuts, resets, stalls, dropped acks and reloads`, { timeout: 150_000 }, () =>
      isolated((cleanups) => chaosRun(adapter, cleanups)),
    );
    it(`${name}: a half-open link does not hold messages back once a new link is up`, { timeout: 20_000 }, () =>
      isolated((cleanups) => halfOpenRun(adapter, cleanups)),
    );
    it(`${name}: a handshake lost in a black hole is abandoned, not waited on`, { timeout: 20_000 }, () =>
      isolated((cleanups) => darkHandshakeRun(adapter, cleanups)),
    );
  }
});

/** The rules the chaos runs rely on, pinned down deterministically with core's MockTransport. */
describe('outbox rules the chaos runs found', () => {
  const echo = (transport: MockTransport, seq: number, id: string) =>
    transport.receive(messageFrame(seq, { id: `m_${seq}`, clientId: id, author: { role: 'buyer' }, body: { kind: 'text', text: id } }));

  it('nothing overtakes a command waiting out a transient refusal', async () => {
    const transport = new MockTransport();
    const client = createClient({ transport });
    cleanups.push(() => client.stop());
    await client.start();
    transport.open();
    transport.receive(readyFrame());
    const a = await client.sendText('A');
    const b = await client.sendText('B');
    transport.receive({ v: 1, kind: 'nack', id: a.id, error: { code: 'internal', message: 'try again', retryable: true } });
    // B waits for A's retry instead of going first.
    expect(transport.commands().map((c) => c.id)).toEqual([a.id]);
    await until(() => transport.commands().length === 2, 3_000, 'A resent');
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, a.id]);
    echo(transport, 1, a.id);
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, a.id, b.id]);
  });

  it('a rate-limited command steps aside for the rest of the conversation', async () => {
    const transport = new MockTransport();
    const client = createClient({ transport });
    cleanups.push(() => client.stop());
    await client.start();
    transport.open();
    transport.receive(readyFrame());
    const code = await client.requestGuestCode('XE-1');
    const hello = await client.sendText('hello');
    transport.receive({ v: 1, kind: 'nack', id: code.id, error: { code: 'rate-limited', message: 'later', retryable: true, retryAfterMs: 60_000 } });
    expect(transport.commands().map((c) => c.id)).toEqual([code.id, hello.id]);
  });

  it('writes the history cache at most every 250 ms, and on stop()', async () => {
    const storage = createMemoryStorage();
    const transport = new MockTransport();
    const client = createClient({ transport, storage });
    await client.start();
    transport.open();
    transport.receive(readyFrame());
    let writes = 0;
    const set = storage.set.bind(storage);
    storage.set = (key, value) => {
      if (key.endsWith(':conversation')) writes++;
      return set(key, value);
    };
    for (let seq = 1; seq <= 50; seq++) transport.receive(messageFrame(seq));
    await sleep(0);
    expect(writes).toBe(0);
    await sleep(300);
    expect(writes).toBe(1);
    transport.receive(messageFrame(51));
    await sleep(0);
    client.stop();
    await client.persisted();
    expect(writes).toBe(2);
    expect((storage.data.get('xiaoer:conversation') as { lastSeq: number }).lastSeq).toBe(51);
  });
});
