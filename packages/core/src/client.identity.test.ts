import { describe, expect, it, vi } from 'vitest';
import { createClient, type ClientOptions } from './client.js';
import type { XiaoerError } from './errors.js';
import type { BuyerIdentity, ServerFrame } from './protocol/frames.js';
import { MockTransport } from './test/mock-transport.js';
import { readyFrame } from './test/fixtures.js';

const flush = () => new Promise((r) => setTimeout(r, 0));

const identity = (expires: number, mark = 'a'): BuyerIdentity => ({ id: 'buyer-1', expires, signature: mark.repeat(64) });
const OLD = identity(1_000, 'a');
const FRESH = identity(2_000, 'b');

const expiredNack = (id: string): ServerFrame => ({
  v: 1,
  kind: 'nack',
  id,
  error: { code: 'unauthorized', message: 'expired', reason: 'identity-expired', retryable: true },
});
const buyerReady = () => readyFrame({ buyer: { id: 'buyer-1' } });

async function started(options: Partial<ClientOptions> = {}) {
  const transport = new MockTransport();
  const refreshIdentity = vi.fn(async (): Promise<BuyerIdentity | undefined> => FRESH);
  const client = createClient({ transport, identity: () => OLD, refreshIdentity, ...options });
  const refreshed: BuyerIdentity[] = [];
  const dropped: XiaoerError[] = [];
  const deadLetters: string[] = [];
  client.on('identity:refreshed', (i) => refreshed.push(i));
  client.on('identity:dropped', (e) => dropped.push(e));
  client.on('outbox:dead-letter', (e) => deadLetters.push(e.id));
  await client.start();
  transport.open();
  transport.receive(buyerReady());
  return { transport, client, refreshIdentity, refreshed, dropped, deadLetters };
}

/** The session.start frames the client sent after the first one. */
const renewals = (transport: MockTransport) => transport.sent.filter((f) => f.kind === 'session.start').slice(1);

describe('client identity renewal', () => {
  it('renews on the open link when the server warns the signature is expiring', async () => {
    const { transport, refreshIdentity, refreshed, dropped } = await started();
    transport.receive({ v: 1, kind: 'identity.expiring', expires: OLD.expires });
    await flush();
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    expect(renewals(transport).map((f) => f.visitor.buyer)).toEqual([FRESH]);
    expect(refreshed).toEqual([FRESH]);
    expect(dropped).toEqual([]);
  });

  it('resends a command refused for an expired identity once renewed, in order, without dead-lettering it', async () => {
    const { transport, client, deadLetters } = await started();
    const a = await client.sendText('one');
    const b = await client.sendText('two');
    transport.receive(expiredNack(a.id));
    await flush();
    // Nothing more goes out until the renewed session is ready: the server would refuse it.
    expect(transport.commands().map((c) => c.id)).toEqual([a.id]);
    expect(renewals(transport)).toHaveLength(1);
    transport.receive(buyerReady());
    // At once, not after the retry backoff.
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, a.id]);
    transport.receive({ v: 1, kind: 'ack', id: a.id });
    transport.receive({ v: 1, kind: 'ack', id: b.id });
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, a.id, b.id]);
    expect(deadLetters).toEqual([]);
    expect(client.getSnapshot().outbox).toEqual([]);
  });

  it('asks a refused query again once renewed and resolves with its answer', async () => {
    const { transport, client } = await started();
    const orders = client.query({ type: 'orders.list' });
    const first = transport.sent.at(-1)!;
    expect(first.kind).toBe('query');
    const id = (first as { id: string }).id;
    transport.receive(expiredNack(id));
    await flush();
    transport.receive(buyerReady());
    expect(transport.sent.filter((f) => f.kind === 'query' && f.id === id)).toHaveLength(2);
    transport.receive({ v: 1, kind: 'result', id, result: { orders: [], nextCursor: null } });
    await expect(orders).resolves.toEqual({ orders: [], nextCursor: null });
  });

  it('renews once however many refusals arrive while the host page is asked', async () => {
    let answer: (i: BuyerIdentity) => void = () => {};
    const refreshIdentity = vi.fn(() => new Promise<BuyerIdentity | undefined>((r) => (answer = r)));
    const { transport, client } = await started({ refreshIdentity });
    const a = await client.sendText('one');
    transport.receive(expiredNack(a.id));
    transport.receive({ v: 1, kind: 'error', error: { code: 'unauthorized', message: 'expired', reason: 'identity-expired', retryable: true } });
    transport.receive({ v: 1, kind: 'identity.expiring', expires: OLD.expires });
    answer(FRESH);
    await flush();
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    expect(renewals(transport)).toHaveLength(1);
    // A handled expiry is not an error for the page to show.
    expect(client.getSnapshot().lastError).toBeNull();
  });

  it('holds new commands while the identity is being renewed, then sends them in order', async () => {
    let answer: (i: BuyerIdentity) => void = () => {};
    const { transport, client } = await started({ refreshIdentity: () => new Promise((r) => (answer = r)) });
    transport.receive({ v: 1, kind: 'error', error: { code: 'unauthorized', message: 'expired', reason: 'identity-expired', retryable: true } });
    const a = await client.sendText('one');
    const b = await client.sendText('two');
    expect(transport.commands()).toEqual([]);
    answer(FRESH);
    await flush();
    transport.receive(buyerReady());
    transport.receive({ v: 1, kind: 'ack', id: a.id });
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, b.id]);
  });

  it('goes on as an anonymous visitor when the host page has no fresh signature, still sending the queued messages', async () => {
    const { transport, client, dropped, deadLetters } = await started({ refreshIdentity: async () => undefined });
    const a = await client.sendText('one');
    const b = await client.sendText('two');
    transport.receive(expiredNack(a.id));
    await flush();
    expect(dropped.map((e) => [e.code, e.reason])).toEqual([['unauthorized', 'identity-expired']]);
    expect(renewals(transport).map((f) => f.visitor.buyer)).toEqual([undefined]);
    transport.receive(readyFrame({ conversationId: 'conv_anonymous' }));
    expect(client.getSnapshot().buyer).toBeNull();
    transport.receive({ v: 1, kind: 'ack', id: a.id });
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, a.id, b.id]);
    expect(deadLetters).toEqual([]);
    // The expired signature is not sent again on a later connection.
    transport.drop();
    expect(transport.open().visitor.buyer).toBeUndefined();
  });

  it('drops the identity with the reason when refreshIdentity throws', async () => {
    const failure = new Error('login service down');
    const { transport, dropped } = await started({ refreshIdentity: () => Promise.reject(failure) });
    transport.receive({ v: 1, kind: 'error', error: { code: 'unauthorized', message: 'expired', reason: 'identity-expired', retryable: true } });
    await flush();
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.cause).toBe(failure);
    expect(renewals(transport).map((f) => f.visitor.buyer)).toEqual([undefined]);
  });

  it('keeps the current signature when a warning brings no fresh one (it still works until it expires)', async () => {
    const { transport, dropped } = await started({ refreshIdentity: async () => undefined });
    transport.receive({ v: 1, kind: 'identity.expiring', expires: OLD.expires });
    await flush();
    expect(dropped).toEqual([]);
    expect(renewals(transport)).toEqual([]);
    transport.drop();
    expect(transport.open().visitor.buyer).toEqual(OLD);
  });

  it('uses the renewed signature on later connections, and a newer one the page gives later over it', async () => {
    let given = OLD;
    const { transport } = await started({ identity: () => given });
    transport.receive({ v: 1, kind: 'identity.expiring', expires: OLD.expires });
    await flush();
    transport.drop();
    expect(transport.open().visitor.buyer).toEqual(FRESH);
    given = identity(3_000, 'c');
    transport.drop();
    expect(transport.open().visitor.buyer).toEqual(given);
  });

  it('re-sends the renewed signature once when a session start refuses an expired one (a stream re-opened at its old URL)', async () => {
    const { transport, refreshIdentity, dropped } = await started();
    transport.receive({ v: 1, kind: 'identity.expiring', expires: OLD.expires });
    await flush();
    // The browser re-opened the event stream with the hello of before the renewal.
    transport.receive(readyFrame());
    transport.receive({ v: 1, kind: 'error', error: { code: 'unauthorized', message: 'expired', reason: 'identity-expired' } });
    await flush();
    expect(renewals(transport).map((f) => f.visitor.buyer)).toEqual([FRESH, FRESH]);
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    expect(dropped).toEqual([]);
  });

  it('sends nothing into the anonymous conversation a session with an expired signature starts in: renews first', async () => {
    // A page that slept: its signature expired (client clock and server agree), messages are queued.
    const transport = new MockTransport();
    let answer: (identity: BuyerIdentity) => void = () => {};
    const refreshIdentity = vi.fn(() => new Promise<BuyerIdentity | undefined>((resolve) => (answer = resolve)));
    const client = createClient({ transport, identity: () => OLD, refreshIdentity, now: () => 5_000 });
    await client.start();
    const queued = await client.sendText('where is my parcel?');
    transport.open();
    // The server starts it anonymous, then says why.
    transport.receive(readyFrame({ conversationId: 'c_anonymous' }));
    transport.receive({ v: 1, kind: 'error', error: { code: 'unauthorized', message: 'the buyer identity has expired', reason: 'identity-expired' } });
    await flush();
    expect(transport.commands()).toEqual([]);
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    answer(identity(9_000, 'c'));
    await flush();
    expect(renewals(transport).map((f) => f.visitor.buyer?.signature)).toEqual(['c'.repeat(64)]);
    transport.receive(readyFrame({ conversationId: 'c_buyer', buyer: { id: 'buyer-1' } }));
    expect(transport.commands().map((c) => c.id)).toEqual([queued.id]);
    expect(client.getSnapshot().conversationId).toBe('c_buyer');
  });

  it('does not ask again when a renewed signature is itself refused at session start (no loop)', async () => {
    const { transport, refreshIdentity, dropped } = await started();
    transport.receive({ v: 1, kind: 'identity.expiring', expires: OLD.expires });
    await flush();
    for (let i = 0; i < 3; i++) {
      transport.receive(readyFrame());
      transport.receive({ v: 1, kind: 'error', error: { code: 'unauthorized', message: 'expired', reason: 'identity-expired' } });
      await flush();
    }
    expect(refreshIdentity).toHaveBeenCalledTimes(1);
    expect(dropped).toHaveLength(1);
    expect(renewals(transport).map((f) => f.visitor.buyer)).toEqual([FRESH, FRESH, undefined]);
  });
});
