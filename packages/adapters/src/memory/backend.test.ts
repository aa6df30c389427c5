import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '@xiaoer/core';
import { SupportBackend, type BackendRecord } from './backend.js';
import type { DeskServerFrame } from './desk-protocol.js';

function buyer(backend: SupportBackend, visitorId = 'v_1', extra: Record<string, unknown> = {}) {
  const frames: ServerFrame[] = [];
  const conn = backend.connectBuyer((f) => frames.push(f));
  conn.receive({ v: 1, kind: 'session.start', visitor: { visitorId }, afterSeq: 0, locale: 'en', ...extra });
  const ready = frames.find((f) => f.kind === 'session.ready') as Extract<ServerFrame, { kind: 'session.ready' }>;
  const say = (id: string, text: string) => conn.receive({ v: 1, kind: 'command', id, command: { type: 'message.send', body: { kind: 'text', text } } });
  const command = (id: string, type: 'handoff.request' | 'handoff.cancel') => conn.receive({ v: 1, kind: 'command', id, command: { type } });
  const events = () => frames.filter((f): f is Extract<ServerFrame, { kind: 'event' }> => f.kind === 'event');
  const texts = () => events().flatMap((f) => (f.event.type === 'message.created' && f.event.message.body.kind !== 'notice' ? [f.event.message.body.text] : []));
  const routing = () => events().filter((f) => f.event.type === 'routing.changed').map((f) => (f.event.type === 'routing.changed' ? f.event.routing : null)).at(-1);
  return { conn, frames, ready, say, command, events, texts, routing };
}

function desk(backend: SupportBackend, agentIndex = 0) {
  const frames: DeskServerFrame[] = [];
  const agent = backend.listAgents()[agentIndex]!;
  const conn = backend.connectAgent(agent, (f) => frames.push(f));
  const queue = () => [...frames].reverse().find((f) => f.kind === 'desk.queue' || f.kind === 'desk.ready');
  return { conn, frames, agent, queue: () => { const q = queue(); return q && 'queue' in q ? q.queue : []; } };
}

describe('SupportBackend', () => {
  it('greets a new conversation and answers a FAQ question from the bot', () => {
    const b = buyer(new SupportBackend());
    b.say('c1', 'How long does a refund take?');
    expect(b.texts()[0]).toMatch(/Hi, I'm Xiaoer/);
    expect(b.texts().at(-1)).toMatch(/Refunds reach your original payment method/);
  });

  it('says it is not sure, and offers a person, when the FAQ does not cover the question', () => {
    const b = buyer(new SupportBackend());
    b.say('c1', 'Do you sell bicycles in Mars colonies?');
    const last = b.events().at(-1)!;
    expect(last.event.type === 'message.created' && last.event.message.body).toMatchObject({
      text: expect.stringMatching(/not sure/),
      suggestions: [{ action: 'handoff' }],
    });
  });

  it('applies a command once however often it is resent, and acknowledges every resend', () => {
    const backend = new SupportBackend();
    const b = buyer(backend);
    b.say('c1', 'hello there');
    b.say('c1', 'hello there');
    b.say('c1', 'hello there');
    const buyerMessages = backend.messagesOf(b.ready.conversationId).filter((m) => m.author.role === 'buyer');
    expect(buyerMessages).toHaveLength(1);
    expect(buyerMessages[0]?.clientId).toBe('c1');
    expect(b.frames.filter((f) => f.kind === 'ack').map((f) => f.kind === 'ack' && f.id)).toEqual(['c1', 'c1', 'c1']);
  });

  it('queues a handoff with live positions and hands it to the agent who takes it', () => {
    const backend = new SupportBackend({ averageHandleSeconds: 120 });
    const first = buyer(backend, 'v_1');
    const second = buyer(backend, 'v_2');
    first.command('h1', 'handoff.request');
    second.command('h2', 'handoff.request');
    expect(first.routing()).toEqual({ phase: 'queued', position: 1, etaSeconds: 120 });
    expect(second.routing()).toEqual({ phase: 'queued', position: 2, etaSeconds: 240 });
    const d = desk(backend);
    expect(d.queue().map((q) => q.conversationId)).toEqual([first.ready.conversationId, second.ready.conversationId]);
    d.conn.receive({ kind: 'desk.take', conversationId: first.ready.conversationId });
    expect(first.routing()).toEqual({ phase: 'agent', agent: d.agent });
    expect(second.routing()).toMatchObject({ phase: 'queued', position: 1 });
    d.conn.receive({ kind: 'desk.reply', conversationId: first.ready.conversationId, id: 'r1', text: 'Hi, Lin here.' });
    expect(first.texts().at(-1)).toBe('Hi, Lin here.');
    const agentMessage = backend.messagesOf(first.ready.conversationId).at(-1);
    expect(agentMessage?.author).toEqual({ role: 'agent', name: d.agent.name });
  });

  it('refuses replies from an agent who has not taken the conversation', () => {
    const backend = new SupportBackend();
    const b = buyer(backend);
    b.command('h1', 'handoff.request');
    const other = desk(backend, 1);
    other.conn.receive({ kind: 'desk.reply', conversationId: b.ready.conversationId, id: 'r1', text: 'sneaky' });
    expect(other.frames.at(-1)).toEqual({ kind: 'desk.error', message: expect.stringMatching(/take the conversation/) });
    expect(b.texts()).not.toContain('sneaky');
  });

  it('leaves the queue on cancel', () => {
    const b = buyer(new SupportBackend());
    b.command('h1', 'handoff.request');
    b.command('h2', 'handoff.cancel');
    expect(b.routing()).toEqual({ phase: 'bot' });
  });

  it('goes offline instead of queueing outside business hours', () => {
    const b = buyer(new SupportBackend({ isOpen: () => false }));
    b.command('h1', 'handoff.request');
    expect(b.routing()).toEqual({ phase: 'offline', reason: 'closed-hours' });
  });

  it('never lets a visitor into another visitor\'s conversation', () => {
    const backend = new SupportBackend();
    const alice = buyer(backend, 'v_alice');
    alice.say('c1', 'my secret address');
    const mallory = buyer(backend, 'v_mallory', { conversationId: alice.ready.conversationId });
    expect(mallory.ready.conversationId).not.toBe(alice.ready.conversationId);
    expect(mallory.texts().join(' ')).not.toContain('secret');
  });

  it('replays only the events after the sequence the device has', () => {
    const backend = new SupportBackend();
    const first = buyer(backend);
    first.say('c1', 'one');
    const lastSeq = first.events().at(-1)!.seq;
    first.say('c2', 'two');
    const again = buyer(backend, 'v_1', { conversationId: first.ready.conversationId, afterSeq: lastSeq });
    expect(again.events().map((e) => e.seq)).toEqual(first.events().filter((e) => e.seq > lastSeq).map((e) => e.seq));
  });

  it('is rebuilt identically from its records, idempotency keys included', () => {
    const records: BackendRecord[] = [];
    const original = new SupportBackend({ persist: (r) => records.push(r) });
    const b = buyer(original);
    b.say('c1', 'before restart');
    b.command('h1', 'handoff.request');
    const restored = new SupportBackend();
    restored.restore(JSON.parse(JSON.stringify(records)) as BackendRecord[]);
    expect(restored.messagesOf(b.ready.conversationId)).toEqual(original.messagesOf(b.ready.conversationId));
    const again = buyer(restored, 'v_1', { conversationId: b.ready.conversationId });
    expect(again.ready).toMatchObject({ conversationId: b.ready.conversationId, routing: { phase: 'queued', position: 1 } });
    again.say('c1', 'before restart');
    expect(restored.messagesOf(b.ready.conversationId).filter((m) => m.author.role === 'buyer')).toHaveLength(1);
  });

  it('answers malformed frames with a protocol error and commands before a session with a retryable nack', () => {
    const backend = new SupportBackend();
    const frames: ServerFrame[] = [];
    const conn = backend.connectBuyer((f) => frames.push(f));
    conn.receive('{nope');
    conn.receive({ v: 1, kind: 'command', id: 'c1', command: { type: 'message.send', body: { kind: 'text', text: 'hi' } } });
    expect(frames[0]).toMatchObject({ kind: 'error', error: { code: 'protocol' } });
    expect(frames[1]).toMatchObject({ kind: 'nack', id: 'c1', error: { code: 'unauthorized', retryable: true } });
  });
});
