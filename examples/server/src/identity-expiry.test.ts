import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { EventSource } from 'eventsource';
import { createClient, isIdentityExpired, type BuyerIdentity, type Transport, type XiaoerClient, type XiaoerError } from '@xiaoer/core';
import { createWebSocketTransport, type WebSocketConstructor } from '@xiaoer/adapters/websocket';
import { createHttpTransport, type EventSourceConstructor } from '@xiaoer/adapters/http';
import { DEMO_BUYER } from '@xiaoer/adapters/memory';
import { buyerIdentity } from './identity.js';
import { sleep, waitUntil } from './test-support/wait.js';
import { startServer, type RunningServer } from './server.js';

/**
 * The issue this guards: "Token expiry mid-session: the client asks the host page for a fresh
 * signature through a callback and carries on without losing messages." A buyer whose signature
 * expires a moment into the session keeps writing across the expiry, against the real reference
 * server on 127.0.0.1 and its real HMAC verifier.
 */

const SECRET = 'test-secret';
/** How long the first signature lives: long enough to open the session and send a few messages. */
const FIRST_TTL_MS = 1_500;
const DEADLINE_MS = 15_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = (check: () => boolean, what: string) => waitUntil(check, what, DEADLINE_MS);

async function server(identityWarningMs: number): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-identity-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const s = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {}, shopSecret: SECRET, identityWarningMs });
  cleanups.push(() => s.close());
  return s;
}

type Adapter = 'websocket' | 'http';
function transportFor(adapter: Adapter, port: number): Transport {
  return adapter === 'websocket'
    ? createWebSocketTransport({ url: `ws://127.0.0.1:${port}/xiaoer/ws`, WebSocket: NodeWebSocket as unknown as WebSocketConstructor })
    : createHttpTransport({ url: `http://127.0.0.1:${port}/xiaoer/http`, EventSource: EventSource as unknown as EventSourceConstructor });
}

/** A logged-in buyer's client whose host page answers `refreshIdentity` when the test says so. */
async function buyerClient(s: RunningServer, adapter: Adapter) {
  const first = buyerIdentity(SECRET, DEMO_BUYER, Date.now(), FIRST_TTL_MS);
  const transport = transportFor(adapter, s.port);
  // What the server said about the identity, as the wire carried it.
  const expiryRefusals: string[] = [];
  transport.subscribe((event) => {
    if (event.type !== 'frame') return;
    const f = event.data as { kind?: string; error?: { code: string; reason?: string } };
    if ((f.kind === 'nack' || f.kind === 'error') && f.error && isIdentityExpired(f.error)) expiryRefusals.push(f.kind);
  });
  const asked: { answer: (identity: BuyerIdentity | undefined) => void }[] = [];
  const client = createClient({
    transport,
    identity: () => first,
    refreshIdentity: () => new Promise((answer) => asked.push({ answer })),
  });
  const dropped: XiaoerError[] = [];
  const deadLetters: string[] = [];
  client.on('identity:dropped', (e) => dropped.push(e));
  client.on('outbox:dead-letter', (e) => deadLetters.push(e.id));
  cleanups.push(() => client.stop());
  await client.start();
  await until(() => client.getSnapshot().buyer?.id === DEMO_BUYER.id, 'the buyer session');
  return { client, first, asked, expiryRefusals, dropped, deadLetters };
}

/** Writes messages one by one, as a person types, until `stop()` says so. */
function writer(client: XiaoerClient) {
  const sent: string[] = [];
  const say = async (text: string) => {
    sent.push(text);
    await client.sendText(text);
  };
  return {
    sent,
    say,
    async sayWhile(going: () => boolean) {
      while (going()) {
        await say(`m${sent.length}`);
        await sleep(40);
      }
    },
  };
}

const drained = (client: XiaoerClient) => () => client.getSnapshot().outbox.length === 0;
/** The buyer's own messages the server stored in a conversation, in seq order. */
const storedTexts = (s: RunningServer, conversationId: string) =>
  s.backend.messagesOf(conversationId).flatMap((m) => (m.author.role === 'buyer' && m.body.kind === 'text' ? [m.body.text] : []));

describe.each<Adapter>(['websocket', 'http'])('an identity expiring mid-session (%s, real server)', (adapter) => {
  it('asks the host page for a fresh signature at expiry and loses, doubles and reorders nothing', async () => {
    const s = await server(0); // no early warning: the expiry itself must be handled
    const { client, first, asked, expiryRefusals, deadLetters } = await buyerClient(s, adapter);
    const conversationId = client.getSnapshot().conversationId!;
    const w = writer(client);
    // Across the expiry, until the client asks the host page…
    await w.sayWhile(() => asked.length === 0 && Date.now() < first.expires + DEADLINE_MS);
    expect(asked).toHaveLength(1);
    // …and more while the host page is still fetching the new signature.
    for (let i = 0; i < 5; i++) await w.say(`queued-${i}`);
    asked[0]!.answer(buyerIdentity(SECRET, DEMO_BUYER, Date.now(), 60_000));
    await until(drained(client), 'every message acknowledged');

    expect(expiryRefusals.length).toBeGreaterThan(0);
    expect(storedTexts(s, conversationId)).toEqual(w.sent);
    expect(deadLetters).toEqual([]);
    expect(asked).toHaveLength(1);
    expect(client.getSnapshot().conversationId).toBe(conversationId);
    expect(client.getSnapshot().buyer?.id).toBe(DEMO_BUYER.id);
    await client.loadOrders();
    expect(Object.keys(client.getSnapshot().orders).length).toBeGreaterThan(0);
  });

  it('renews before anything is refused when the server warns ahead of the expiry', async () => {
    const s = await server(1_000);
    const { client, first, asked, expiryRefusals } = await buyerClient(s, adapter);
    const conversationId = client.getSnapshot().conversationId!;
    const w = writer(client);
    let answered = false;
    await w.sayWhile(() => {
      if (asked.length > 0 && !answered) {
        answered = true;
        asked[0]!.answer(buyerIdentity(SECRET, DEMO_BUYER, Date.now(), 60_000));
      }
      // Well past the first signature's expiry.
      return Date.now() < first.expires + 300;
    });
    await until(drained(client), 'every message acknowledged');
    expect(asked).toHaveLength(1);
    expect(expiryRefusals).toEqual([]);
    expect(storedTexts(s, conversationId)).toEqual(w.sent);
    await expect(client.query({ type: 'orders.list' })).resolves.toMatchObject({ orders: expect.any(Array) });
  });

  it('goes on as an anonymous visitor when the host page has no fresh signature, and still delivers the queued messages', async () => {
    const s = await server(0);
    const { client, first, asked, dropped, deadLetters } = await buyerClient(s, adapter);
    const buyerConversation = client.getSnapshot().conversationId!;
    const w = writer(client);
    await w.sayWhile(() => asked.length === 0 && Date.now() < first.expires + DEADLINE_MS);
    for (let i = 0; i < 5; i++) await w.say(`queued-${i}`);
    asked[0]!.answer(undefined);
    await until(drained(client), 'every message acknowledged');

    expect(dropped.map((e) => e.reason)).toEqual(['identity-expired']);
    const anonymousConversation = client.getSnapshot().conversationId!;
    expect(anonymousConversation).not.toBe(buyerConversation);
    expect(client.getSnapshot().buyer).toBeNull();
    // Every message once, in order: those before the expiry in the buyer's conversation, the rest after it.
    expect([...storedTexts(s, buyerConversation), ...storedTexts(s, anonymousConversation)]).toEqual(w.sent);
    expect(storedTexts(s, anonymousConversation)).toEqual(expect.arrayContaining(['queued-0', 'queued-4']));
    expect(deadLetters).toEqual([]);
    await expect(client.query({ type: 'orders.list' })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('the demo shop\'s signing endpoint', () => {
  it('hands out a fresh signature of the demo buyer that the server accepts mid-session', async () => {
    const s = await server(0);
    const { client, first, asked, dropped } = await buyerClient(s, 'websocket');
    const res = await fetch(`${s.url}/demo/identity`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const fresh = (await res.json()) as BuyerIdentity;
    expect(fresh).toMatchObject({ id: DEMO_BUYER.id, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(fresh.expires).toBeGreaterThan(first.expires);
    await until(() => asked.length === 1, 'the renewal request at expiry');
    asked[0]!.answer(fresh);
    await client.sendText('after renewal');
    await until(drained(client), 'the message acknowledged');
    expect(dropped).toEqual([]);
    expect(client.getSnapshot().buyer?.id).toBe(DEMO_BUYER.id);
  });
});
