import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import { createMemoryStorage } from './storage/storage.js';
import { selectTimeline } from './store/selectors.js';
import type { OutboxEntry } from './store/state.js';
import { MockTransport } from './test/mock-transport.js';
import { CONVERSATION_ID, messageFrame, readyFrame, routingFrame } from './test/fixtures.js';
import type { Message } from './domain/message.js';

const flush = () => new Promise((r) => setTimeout(r, 0));

function echo(transport: MockTransport, seq: number, id: string, text: string) {
  transport.receive(messageFrame(seq, { id: `m_${seq}`, clientId: id, author: { role: 'buyer' }, body: { kind: 'text', text } }));
}

async function started(storage = createMemoryStorage(), options: { ackTimeoutMs?: number; maxPendingMs?: number } = {}) {
  const transport = new MockTransport();
  const client = createClient({ transport, storage, ...options });
  await client.start();
  return { transport, client, storage };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('client outbox', () => {
  it('persists a message before it goes on the wire', async () => {
    const { transport, client, storage } = await started();
    transport.open();
    transport.receive(readyFrame());
    let storedWhenSent: OutboxEntry[] | undefined;
    const send = transport.send.bind(transport);
    transport.send = (frame) => {
      storedWhenSent = storage.data.get('xiaoer:outbox') as OutboxEntry[];
      return send(frame);
    };
    const { id } = await client.sendText('hello');
    expect(transport.commands().map((c) => c.id)).toEqual([id]);
    expect(storedWhenSent?.map((e) => e.id)).toEqual([id]);
  });

  it('sends queued commands one at a time, in order, once online', async () => {
    const { transport, client } = await started();
    const a = await client.sendText('one');
    const b = await client.sendText('two');
    expect(transport.commands()).toHaveLength(0);
    transport.open();
    transport.receive(readyFrame());
    expect(transport.commands().map((c) => c.id)).toEqual([a.id]);
    transport.receive({ v: 1, kind: 'ack', id: a.id });
    expect(transport.commands().map((c) => c.id)).toEqual([a.id, b.id]);
    expect(selectTimeline(client.getSnapshot()).map((i) => [i.body.kind === 'text' && i.body.text, i.delivery])).toEqual([
      ['two', 'sending'],
    ]);
  });

  it('shows a message as sending, then sent exactly once when the echo and the ack both arrive', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    const { id } = await client.sendText('hi');
    expect(selectTimeline(client.getSnapshot())).toMatchObject([{ key: id, delivery: 'sending' }]);
    echo(transport, 1, id, 'hi');
    transport.receive({ v: 1, kind: 'ack', id });
    const timeline = selectTimeline(client.getSnapshot());
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ key: id, delivery: 'sent' });
    expect(client.getSnapshot().outbox).toHaveLength(0);
  });

  it('resends under the same id after the link drops mid-send, and shows it once', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    const { id } = await client.sendText('through the tunnel');
    transport.drop(1000);
    expect(client.getSnapshot().connection).toEqual({ status: 'offline', retryInMs: 1000 });
    expect(client.getSnapshot().outbox[0]?.state).toBe('queued');
    transport.open();
    transport.receive(readyFrame());
    expect(transport.commands().map((c) => c.id)).toEqual([id, id]);
    echo(transport, 1, id, 'through the tunnel');
    transport.receive({ v: 1, kind: 'ack', id });
    transport.receive({ v: 1, kind: 'ack', id });
    expect(selectTimeline(client.getSnapshot())).toHaveLength(1);
  });

  it('keeps unsent messages and history across a reload, and resumes from the last sequence', async () => {
    const storage = createMemoryStorage();
    const first = await started(storage);
    first.transport.open();
    first.transport.receive(readyFrame());
    first.transport.receive(messageFrame(1));
    first.transport.receive(messageFrame(2));
    first.transport.drop();
    const { id } = await first.client.sendText('sent while offline');
    await first.client.persisted();
    first.client.stop();

    const second = await started(storage);
    const state = second.client.getSnapshot();
    expect(state.visitorId).toBe(first.client.getSnapshot().visitorId);
    expect(state.messages.map((m) => m.id)).toEqual(['m_1', 'm_2']);
    expect(selectTimeline(state).at(-1)).toMatchObject({ key: id, delivery: 'sending' });
    const hello = second.transport.open();
    expect(hello).toMatchObject({ conversationId: CONVERSATION_ID, afterSeq: 2 });
    second.transport.receive(readyFrame({ lastSeq: 2 }));
    expect(second.transport.commands().map((c) => c.id)).toEqual([id]);
  });

  it('marks a refused command failed, reports it, and resends it under its original id on retry', async () => {
    const { transport, client } = await started();
    const deadLetters: OutboxEntry[] = [];
    client.on('outbox:dead-letter', (e) => deadLetters.push(e));
    transport.open();
    transport.receive(readyFrame());
    const { id } = await client.sendText('spam?');
    transport.receive({ v: 1, kind: 'nack', id, error: { code: 'refused', message: 'blocked word', retryable: false } });
    expect(selectTimeline(client.getSnapshot())).toMatchObject([{ key: id, delivery: 'failed', error: { message: 'blocked word' } }]);
    expect(deadLetters.map((e) => e.id)).toEqual([id]);
    client.retry(id);
    expect(transport.commands().map((c) => c.id)).toEqual([id, id]);
    expect(selectTimeline(client.getSnapshot())[0]?.delivery).toBe('sending');
  });

  it('discards a failed command for good (gone from the timeline and from storage), and nothing that is still on its way', async () => {
    const { transport, client, storage } = await started();
    transport.open();
    transport.receive(readyFrame());
    const failed = await client.sendText('wrong chat');
    transport.receive({ v: 1, kind: 'nack', id: failed.id, error: { code: 'refused', message: 'blocked', retryable: false } });
    const pending = await client.sendText('still going');
    expect(client.discard(pending.id)).toBe(false); // on the wire: it may already be applied
    expect(client.discard('c_unknown')).toBe(false);
    expect(client.discard(failed.id)).toBe(true);
    expect(selectTimeline(client.getSnapshot()).map((i) => i.key)).toEqual([pending.id]);
    await expect.poll(() => (storage.data.get('xiaoer:outbox') as OutboxEntry[]).map((e) => e.id)).toEqual([pending.id]);
    client.retry(failed.id); // nothing left to resend
    expect(transport.commands().map((c) => c.id)).toEqual([failed.id, pending.id]);
  });

  it('resends when no acknowledgement arrives in time', async () => {
    vi.useFakeTimers();
    const { transport, client } = await started(createMemoryStorage(), { ackTimeoutMs: 5_000 });
    transport.open();
    transport.receive(readyFrame());
    const { id } = await client.sendText('anyone?');
    vi.advanceTimersByTime(5_001);
    expect(transport.commands().map((c) => c.id)).toEqual([id, id]);
  });

  it('waits as long as a rate-limiting server asks, letting the next command go meanwhile', async () => {
    vi.useFakeTimers();
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    const slow = await client.sendText('too fast');
    const next = await client.sendText('next one');
    transport.receive({ v: 1, kind: 'nack', id: slow.id, error: { code: 'rate-limited', message: 'slow down', retryable: true, retryAfterMs: 5_000 } });
    expect(transport.commands().map((c) => c.id)).toEqual([slow.id, next.id]);
    transport.receive({ v: 1, kind: 'ack', id: next.id });
    vi.advanceTimersByTime(4_999);
    expect(transport.commands().map((c) => c.id)).toEqual([slow.id, next.id]);
    vi.advanceTimersByTime(2);
    expect(transport.commands().map((c) => c.id)).toEqual([slow.id, next.id, slow.id]);
  });

  it('keeps order after a transient refusal: nothing overtakes the command waiting to retry', async () => {
    vi.useFakeTimers();
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    const first = await client.sendText('first');
    const second = await client.sendText('second');
    transport.receive({ v: 1, kind: 'nack', id: first.id, error: { code: 'internal', message: 'try again', retryable: true, retryAfterMs: 1_000 } });
    expect(transport.commands().map((c) => c.id)).toEqual([first.id]);
    vi.advanceTimersByTime(1_001);
    expect(transport.commands().map((c) => c.id)).toEqual([first.id, first.id]);
    transport.receive({ v: 1, kind: 'ack', id: first.id });
    expect(transport.commands().map((c) => c.id)).toEqual([first.id, first.id, second.id]);
  });

  it('gives up after the pending limit and offers a manual resend', async () => {
    vi.useFakeTimers();
    const { client } = await started(createMemoryStorage(), { maxPendingMs: 60_000 });
    const { id } = await client.sendText('never online');
    vi.advanceTimersByTime(60_001);
    expect(client.getSnapshot().outbox).toMatchObject([{ id, state: 'failed', error: { code: 'timeout' } }]);
  });
});

describe('client events and state', () => {
  it('reports a malformed frame as an error event and leaves state untouched', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    const before = client.getSnapshot();
    transport.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: 1, event: { type: 'message.created', message: { id: 3 } } });
    transport.receive('garbage');
    transport.receive({ v: 99, kind: 'ack', id: 'x' });
    expect(errors).toEqual(['protocol', 'protocol', 'protocol']);
    expect(client.getSnapshot()).toBe(before);
  });

  it('ignores an event it has already applied', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    const received: Message[] = [];
    client.on('message:received', (m) => received.push(m));
    transport.receive(messageFrame(1));
    transport.receive(messageFrame(1));
    expect(client.getSnapshot().messages).toHaveLength(1);
    expect(received).toHaveLength(1);
  });

  it('follows routing from bot to queue to agent', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    await client.requestHandoff();
    expect(transport.commands()[0]?.command).toEqual({ type: 'handoff.request' });
    transport.receive(routingFrame(1, { phase: 'queued', position: 2, etaSeconds: 120 }));
    expect(client.getSnapshot().routing).toEqual({ phase: 'queued', position: 2, etaSeconds: 120 });
    transport.receive(routingFrame(2, { phase: 'agent', agent: { id: 'a1', name: 'Lin' } }));
    expect(client.getSnapshot().routing).toEqual({ phase: 'agent', agent: { id: 'a1', name: 'Lin' } });
  });

  it('shows the agent typing and clears it when their message arrives', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    transport.receive({ v: 1, kind: 'signal', conversationId: CONVERSATION_ID, signal: { type: 'typing', on: true, by: { role: 'agent', name: 'Lin' } } });
    expect(client.getSnapshot().typing).toEqual({ role: 'agent', name: 'Lin' });
    transport.receive(messageFrame(1, { author: { role: 'agent', name: 'Lin' } }));
    expect(client.getSnapshot().typing).toBeNull();
  });

  it('sends typing signals throttled, and a stop when the message is sent', async () => {
    const { transport, client } = await started();
    transport.open();
    transport.receive(readyFrame());
    client.setTyping(true);
    client.setTyping(true);
    await client.sendText('done typing');
    const signals = transport.sent.filter((f) => f.kind === 'signal');
    expect(signals.map((s) => s.kind === 'signal' && s.signal.on)).toEqual([true, false]);
  });

  it('refuses an empty message without queueing anything', async () => {
    const { client } = await started();
    await expect(client.sendText('   ')).rejects.toMatchObject({ code: 'refused' });
    expect(client.getSnapshot().outbox).toHaveLength(0);
    await flush();
  });
});

describe('client lifecycle', () => {
  it('never connects when stopped while it still loads from storage (an element removed as the page loads)', async () => {
    const storage = createMemoryStorage();
    let loaded!: () => void;
    const loading = new Promise<void>((resolve) => (loaded = resolve));
    const get = storage.get.bind(storage);
    storage.get = async <T>(key: string) => {
      await loading;
      return get<T>(key);
    };
    const transport = new MockTransport();
    const client = createClient({ transport, storage });
    const starting = client.start();
    client.stop();
    loaded();
    await starting;
    expect(transport.connected).toBe(false);

    await client.start(); // started again: it connects
    expect(transport.connected).toBe(true);
  });
});
