import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { MockTransport } from './test/mock-transport.js';
import { CONVERSATION_ID, message, messageFrame, readyFrame } from './test/fixtures.js';
import { makeOrder, orderAt } from './domain/order.fixtures.js';
import { XiaoerError } from './errors.js';
import type { ClientFrame, Query } from './protocol/frames.js';

async function online(identity?: Parameters<typeof createClient>[0]['identity']) {
  const transport = new MockTransport();
  const client = createClient({ transport, ...(identity ? { identity } : {}), queryTimeoutMs: 1_000 });
  await client.start();
  const hello = transport.open();
  transport.receive(readyFrame({ buyer: { id: 'b_1', name: 'Wang' } }));
  return { transport, client, hello };
}

const lastQuery = (t: MockTransport) => [...t.sent].reverse().find((f): f is Extract<ClientFrame, { kind: 'query' }> => f.kind === 'query')!;
const lastCommand = (t: MockTransport) => t.commands().at(-1)!;

describe('client: identity and session', () => {
  it('carries the signed buyer identity in every session start and records the verified buyer', async () => {
    const identity = { id: 'b_1', expires: 1_900_000_000_000, signature: 'a'.repeat(64) };
    const { hello, client } = await online(() => identity);
    expect(hello.visitor.buyer).toEqual(identity);
    expect(client.getSnapshot().buyer).toEqual({ id: 'b_1', name: 'Wang' });
  });

  it('forgets the previous buyer\'s orders when another buyer signs in on the device', async () => {
    const { transport, client } = await online();
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'order.updated', order: makeOrder() } });
    expect(Object.keys(client.getSnapshot().orders)).toEqual(['o_1']);
    transport.drop();
    transport.open();
    transport.receive(readyFrame({ buyer: { id: 'b_2' }, lastSeq: 1 }));
    expect(client.getSnapshot().orders).toEqual({});
  });
});

describe('client: queries', () => {
  it('loads orders page by page into the state', async () => {
    const { transport, client } = await online();
    const first = client.loadOrders();
    const q1 = lastQuery(transport);
    expect(q1.query).toEqual({ type: 'orders.list', limit: 20 });
    transport.receive({ v: 1, kind: 'result', id: q1.id, result: { orders: [makeOrder({ id: 'o_2' })], nextCursor: 'cur_2' } });
    await first;
    const more = client.loadOrders({ more: true });
    const q2 = lastQuery(transport);
    expect(q2.query).toEqual({ type: 'orders.list', cursor: 'cur_2', limit: 20 });
    transport.receive({ v: 1, kind: 'result', id: q2.id, result: { orders: [makeOrder({ id: 'o_1' })], nextCursor: null } });
    await more;
    expect(client.getSnapshot().orderList).toEqual({ ids: ['o_2', 'o_1'], nextCursor: null, loaded: true });
    await client.loadOrders({ more: true }); // nothing more: no query sent
    expect(lastQuery(transport).id).toBe(q2.id);
  });

  it('rejects a result that does not match the query\'s schema, and reports it', async () => {
    const { transport, client } = await online();
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    const loading = client.loadOrder('o_1');
    transport.receive({ v: 1, kind: 'result', id: lastQuery(transport).id, result: { order: { id: 'o_1', totals: 'lots' } } });
    await expect(loading).rejects.toMatchObject({ code: 'protocol' });
    expect(errors).toEqual(['protocol']);
    expect(client.getSnapshot().orders).toEqual({});
  });

  it('rejects a query at once when offline, and pending ones when the link drops', async () => {
    const { transport, client } = await online();
    const pending = client.query({ type: 'cases.list' } as Query);
    transport.drop();
    await expect(pending).rejects.toMatchObject({ code: 'offline' });
    await expect(client.loadCases()).rejects.toMatchObject({ code: 'offline' });
  });

  it('passes a server refusal of a query through with its reason', async () => {
    const { transport, client } = await online();
    const lookup = client.lookUpGuestOrder('o_9', '123456');
    transport.receive({ v: 1, kind: 'nack', id: lastQuery(transport).id, error: { code: 'refused', message: 'wrong code', reason: 'code-invalid' } });
    await expect(lookup).rejects.toMatchObject({ code: 'refused', reason: 'code-invalid' });
  });
});

describe('client: commerce commands', () => {
  it('refuses locally to change the address of a shipped order, without queueing anything', async () => {
    const { transport, client } = await online();
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'order.updated', order: orderAt('shipped') } });
    const error = await client.changeAddress('o_1', makeOrder().address).catch((e: unknown) => e);
    expect(XiaoerError.isInstance(error) && error.reason).toBe('already-shipped');
    expect(client.getSnapshot().outbox).toHaveLength(0);
  });

  it('refuses an invalid address with field problems', async () => {
    const { client } = await online();
    const error = await client.changeAddress('o_1', { ...makeOrder().address, phone: 'call me maybe', line1: '' }).catch((e: unknown) => e);
    expect(XiaoerError.isInstance(error) && error.fields?.map((f) => f.path).sort()).toEqual(['line1', 'phone']);
  });

  it('settles a command receipt with the server result on ack', async () => {
    const { transport, client } = await online();
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'order.updated', order: orderAt('awaiting-shipment') } });
    const receipt = await client.cancelOrder('o_1');
    expect(lastCommand(transport).command).toEqual({ type: 'order.cancel', orderId: 'o_1' });
    transport.receive({ v: 1, kind: 'ack', id: receipt.id, result: { ok: true } });
    await expect(receipt.settled).resolves.toEqual({ ok: true });
  });

  it('rejects a command receipt with the server\'s reason and fields on a refusal', async () => {
    const { transport, client } = await online();
    const receipt = await client.cancelOrder('o_unknown_to_client');
    transport.receive({ v: 1, kind: 'nack', id: receipt.id, error: { code: 'refused', message: 'shipped', reason: 'already-shipped', retryable: false } });
    await expect(receipt.settled).rejects.toMatchObject({ reason: 'already-shipped' });
    expect(client.getSnapshot().outbox[0]).toMatchObject({ state: 'failed' });
  });

  it('checks an after-sales request against the known order before queueing it', async () => {
    const { transport, client } = await online();
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'order.updated', order: makeOrder() } });
    const tooMuch = {
      type: 'refund-only' as const,
      lines: [{ lineId: 'L1', quantity: 1 }],
      reason: 'damaged' as const,
      amount: { amount: 999_999, currency: 'CNY' },
      description: '',
      photos: [],
    };
    const error = await client.openCase('o_1', tooMuch).catch((e: unknown) => e);
    expect(XiaoerError.isInstance(error) && error.fields?.some((f) => f.code === 'amount-above-refundable')).toBe(true);
    expect(client.getSnapshot().outbox).toHaveLength(0);
  });

  it('uploads a photo under its own id, so a resend can never make a second photo', async () => {
    const { transport, client } = await online();
    const { photoId, id } = await client.uploadPhoto({ mime: 'image/png', bytes: new Uint8Array([137, 80, 78, 71, 1, 2, 3]) });
    expect(id).toBe(photoId);
    const command = lastCommand(transport).command;
    expect(command).toMatchObject({ type: 'photo.upload', photoId, mime: 'image/png', data: btoa(String.fromCharCode(137, 80, 78, 71, 1, 2, 3)) });
    await expect(client.uploadPhoto({ mime: 'image/png', bytes: new Uint8Array(200 * 1024) })).rejects.toMatchObject({ reason: 'photo-too-large' });
  });

  it('shows a pending order card with the order\'s details before the server confirms it', async () => {
    const { transport, client } = await online();
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'order.updated', order: makeOrder() } });
    transport.drop(); // keep it pending
    await client.sendOrderCard('o_1');
    const { selectTimeline } = await import('./store/selectors.js');
    expect(selectTimeline(client.getSnapshot()).at(-1)?.body).toMatchObject({ kind: 'order-card', card: { orderId: 'o_1', title: 'T-shirt +1', itemCount: 3 } });
  });

  it('keeps cases from case.updated events', async () => {
    const { transport, client } = await online();
    const { openCase } = await import('./domain/after-sales/case.machine.js');
    const { DELIVERED_AT } = await import('./domain/order.fixtures.js');
    const opened = openCase(makeOrder(), {
      type: 'return-and-refund', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'no-longer-needed', amount: { amount: 4500, currency: 'CNY' }, description: '', photos: [],
    }, DELIVERED_AT + 1000, 'case_1');
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'case.updated', case: opened } });
    expect(client.getSnapshot().cases['case_1']?.state).toBe('requested');
  });
});

describe('client: older messages', () => {
  /** A client holding messages 101–110 of a conversation (as after a reload with a short cache). */
  async function holdingLatest() {
    const { transport, client } = await online();
    for (let seq = 101; seq <= 110; seq++) transport.receive(messageFrame(seq));
    return { transport, client };
  }
  const page = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => message(from - i)); // newest first, as the server sends

  it('loads the page before the first message held and puts it in order before it', async () => {
    const { transport, client } = await holdingLatest();
    const loading = client.loadOlder();
    const q = lastQuery(transport);
    expect(q.query).toEqual({ type: 'messages.page', beforeSeq: 101, limit: 50 });
    transport.receive({ v: 1, kind: 'result', id: q.id, result: { messages: page(100, 51) } });
    await loading;
    const seqs = client.getSnapshot().messages.map((m) => m.seq);
    expect(seqs[0]).toBe(51);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toHaveLength(60);
    expect(client.getSnapshot().historyStart).toBe(false); // a full page: there may be more
  });

  it('marks the start of the history when a page comes back short, and asks no more', async () => {
    const { transport, client } = await holdingLatest();
    const loading = client.loadOlder();
    const q = lastQuery(transport);
    transport.receive({ v: 1, kind: 'result', id: q.id, result: { messages: page(100, 90) } });
    await loading;
    expect(client.getSnapshot().historyStart).toBe(true);
    expect(client.getSnapshot().messages[0]!.seq).toBe(90);
  });

  it('knows without asking that nothing comes before the first event of the conversation', async () => {
    const { transport, client } = await online();
    transport.receive(messageFrame(1));
    transport.receive(messageFrame(2));
    const sent = transport.sent.length;
    await client.loadOlder();
    expect(transport.sent.length).toBe(sent);
    expect(client.getSnapshot().historyStart).toBe(true);
  });

  it('sends one query for calls made while a page is on its way, and skips messages it already has', async () => {
    const { transport, client } = await holdingLatest();
    const a = client.loadOlder();
    const b = client.loadOlder();
    expect(b).toBe(a);
    expect(transport.sent.filter((f) => f.kind === 'query')).toHaveLength(1);
    const q = lastQuery(transport);
    // A page that overlaps what is held (an event arrived meanwhile) adds each message once.
    transport.receive({ v: 1, kind: 'result', id: q.id, result: { messages: [message(101), ...page(100, 52)] } });
    await a;
    const ids = client.getSnapshot().messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('drops a page that answers for a conversation the client has left', async () => {
    const { transport, client } = await holdingLatest();
    const loading = client.loadOlder();
    const q = lastQuery(transport);
    transport.drop();
    transport.open();
    transport.receive(readyFrame({ conversationId: 'c_other', lastSeq: 0 }));
    transport.receive({ v: 1, kind: 'result', id: q.id, result: { messages: page(100, 51) } });
    await loading.catch(() => undefined); // the link dropped: the query may have been rejected
    expect(client.getSnapshot().messages).toEqual([]);
  });

  it('rejects with OfflineError while offline, and the state is unchanged', async () => {
    const { transport, client } = await holdingLatest();
    transport.drop();
    const before = client.getSnapshot().messages;
    await expect(client.loadOlder()).rejects.toMatchObject({ code: 'offline' });
    expect(client.getSnapshot().messages).toBe(before);
  });

  it('lets the oldest go when memory is full, and then no longer claims the start of the history', async () => {
    const { transport, client } = await online();
    transport.receive(messageFrame(1));
    await client.loadOlder();
    expect(client.getSnapshot().historyStart).toBe(true);
    for (let seq = 2; seq <= 2_001; seq++) transport.receive(messageFrame(seq));
    expect(client.getSnapshot().messages[0]!.seq).toBe(2);
    expect(client.getSnapshot().historyStart).toBe(false);
  });
});

describe('client: transcript', () => {
  it('writes the conversation as text, fetching older pages the cache no longer has', async () => {
    const { transport, client } = await online();
    transport.receive(messageFrame(3, { body: { kind: 'text', text: '<b>third</b>' } }));
    const pending = client.transcript({ locale: 'en' });
    await Promise.resolve();
    const q = lastQuery(transport);
    expect(q.query).toEqual({ type: 'messages.page', beforeSeq: 3, limit: 200 });
    transport.receive({ v: 1, kind: 'result', id: q.id, result: { messages: [message(2), message(1)] } });
    const text = await pending;
    expect(text.indexOf('message 1')).toBeLessThan(text.indexOf('message 2'));
    expect(text.indexOf('message 2')).toBeLessThan(text.indexOf('<b>third</b>'));
    expect(text).toContain('Xiaoer:');
  });
});
