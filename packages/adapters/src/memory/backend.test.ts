import { describe, expect, it } from 'vitest';
import type { BuyerIdentity } from '@xiaoer/core';
import { SupportBackend, type BackendRecord } from './backend.js';
import { T0, connectBuyer, connectDesk, demoBuyer, makeBackend } from './backend.fixtures.js';

const buyer = (backend: SupportBackend, visitorId = 'v_1', extra: { conversationId?: string; afterSeq?: number } = {}) => connectBuyer(backend, { visitorId, ...extra });

describe('SupportBackend: conversations', () => {
  it('greets a new conversation and answers a FAQ question from the bot, naming the FAQ entry', () => {
    const b = buyer(new SupportBackend());
    b.say('How long does a refund take?');
    expect(b.texts()[0]).toMatch(/Hi, I'm Xiaoer/);
    expect(b.messages().at(-1)?.body).toMatchObject({ text: expect.stringMatching(/Refunds reach your original payment method/), faqId: 'refund-time' });
  });

  it('says it is not sure, and offers the help center and a person, when the FAQ does not cover the question', () => {
    const b = buyer(new SupportBackend());
    b.say('Do you sell bicycles in Mars colonies?');
    expect(b.messages().at(-1)?.body).toMatchObject({
      text: expect.stringMatching(/not sure/),
      suggestions: [{ action: 'open-help' }, { action: 'handoff' }],
    });
    expect(b.messages().at(-1)?.body).not.toHaveProperty('faqId');
  });

  it('applies a command once however often it is resent, and acknowledges every resend', () => {
    const backend = new SupportBackend();
    const b = buyer(backend);
    b.say('hello there', 'c1');
    b.say('hello there', 'c1');
    b.say('hello there', 'c1');
    const buyerMessages = backend.messagesOf(b.ready.conversationId).filter((m) => m.author.role === 'buyer');
    expect(buyerMessages).toHaveLength(1);
    expect(buyerMessages[0]?.clientId).toBe('c1');
    expect(b.frames.filter((f) => f.kind === 'ack').map((f) => f.kind === 'ack' && f.id)).toEqual(['c1', 'c1', 'c1']);
  });

  it('queues a handoff with live positions and hands it to the agent who takes it, in a named session', () => {
    const backend = new SupportBackend({ averageHandleSeconds: 120 });
    const first = buyer(backend, 'v_1');
    const second = buyer(backend, 'v_2');
    first.command({ type: 'handoff.request' });
    second.command({ type: 'handoff.request' });
    expect(first.routing()).toEqual({ phase: 'queued', position: 1, etaSeconds: 120 });
    expect(second.routing()).toEqual({ phase: 'queued', position: 2, etaSeconds: 240 });
    const d = connectDesk(backend);
    expect(d.queue().map((q) => q.conversationId)).toEqual([first.ready.conversationId, second.ready.conversationId]);
    d.send({ kind: 'desk.take', conversationId: first.ready.conversationId });
    expect(first.routing()).toEqual({ phase: 'agent', agent: d.agent, sessionId: expect.stringMatching(/^S-/) });
    expect(second.routing()).toMatchObject({ phase: 'queued', position: 1 });
    d.send({ kind: 'desk.reply', conversationId: first.ready.conversationId, id: 'r1', text: 'Hi, Lin here.' });
    expect(first.texts().at(-1)).toBe('Hi, Lin here.');
    expect(backend.messagesOf(first.ready.conversationId).at(-1)?.author).toEqual({ role: 'agent', name: d.agent.name });
    const sessionId = first.routing()?.phase === 'agent' ? (first.routing() as { sessionId: string }).sessionId : '';
    d.send({ kind: 'desk.end', conversationId: first.ready.conversationId });
    expect(first.routing()).toEqual({ phase: 'ended', agent: d.agent, sessionId });
  });

  it('refuses replies from an agent who has not taken the conversation', () => {
    const backend = new SupportBackend();
    const b = buyer(backend);
    b.command({ type: 'handoff.request' });
    const other = connectDesk(backend, 1);
    other.send({ kind: 'desk.reply', conversationId: b.ready.conversationId, id: 'r1', text: 'sneaky' });
    expect(other.frames.at(-1)).toEqual({ kind: 'desk.error', message: expect.stringMatching(/take the conversation/) });
    expect(b.texts()).not.toContain('sneaky');
  });

  it('leaves the queue on cancel', () => {
    const b = buyer(new SupportBackend());
    b.command({ type: 'handoff.request' });
    b.command({ type: 'handoff.cancel' });
    expect(b.routing()).toEqual({ phase: 'bot' });
  });

  it('never lets a visitor into another visitor\'s conversation', () => {
    const backend = new SupportBackend();
    const alice = buyer(backend, 'v_alice');
    alice.say('my secret address');
    const mallory = buyer(backend, 'v_mallory', { conversationId: alice.ready.conversationId });
    expect(mallory.ready.conversationId).not.toBe(alice.ready.conversationId);
    expect(mallory.texts().join(' ')).not.toContain('secret');
  });

  it('replays only the events after the sequence the device has', () => {
    const backend = new SupportBackend();
    const first = buyer(backend);
    first.say('one');
    const lastSeq = first.events().at(-1)!.seq;
    first.say('two');
    const again = buyer(backend, 'v_1', { conversationId: first.ready.conversationId, afterSeq: lastSeq });
    expect(again.events().map((e) => e.seq)).toEqual(first.events().filter((e) => e.seq > lastSeq).map((e) => e.seq));
  });

  it('is rebuilt identically from its records, idempotency keys included, and restoring twice changes nothing', () => {
    const records: BackendRecord[] = [];
    const original = new SupportBackend({ persist: (r) => records.push(r) });
    const b = buyer(original);
    b.say('before restart', 'c1');
    b.command({ type: 'handoff.request' }, 'h1');
    const restored = new SupportBackend();
    const copy = JSON.parse(JSON.stringify(records)) as BackendRecord[];
    restored.restore(copy);
    restored.restore(copy);
    expect(restored.messagesOf(b.ready.conversationId)).toEqual(original.messagesOf(b.ready.conversationId));
    const again = buyer(restored, 'v_1', { conversationId: b.ready.conversationId });
    expect(again.ready).toMatchObject({ conversationId: b.ready.conversationId, routing: { phase: 'queued', position: 1 } });
    again.say('before restart', 'c1');
    expect(restored.messagesOf(b.ready.conversationId).filter((m) => m.author.role === 'buyer')).toHaveLength(1);
  });

  it('reads records written before buyers, orders and sessions existed', () => {
    const old: BackendRecord[] = [
      { t: 'conversation', id: 'conv_old_1', visitorId: 'v_old', createdAt: T0, locale: 'en' },
      { t: 'event', conversationId: 'conv_old_1', seq: 1, event: { type: 'message.created', message: { id: 'm_1', conversationId: 'conv_old_1', seq: 1, author: { role: 'bot' }, body: { kind: 'text', text: 'hi' }, createdAt: T0 } } },
      { t: 'event', conversationId: 'conv_old_1', seq: 2, event: { type: 'routing.changed', routing: { phase: 'agent', agent: { id: 'agent-lin', name: 'Lin Xiao' } } } },
      { t: 'command', conversationId: 'conv_old_1', commandId: 'c_old' },
    ];
    const backend = new SupportBackend();
    backend.restore(old);
    const b = buyer(backend, 'v_old', { conversationId: 'conv_old_1' });
    expect(b.ready).toMatchObject({ conversationId: 'conv_old_1', routing: { phase: 'agent' } });
    expect(b.command({ type: 'handoff.request' }, 'c_old')).toEqual({ v: 1, kind: 'ack', id: 'c_old' });
  });

  it('answers malformed frames with a protocol error, a malformed command with a nack for its id, and commands before a session with a retryable nack', () => {
    const backend = new SupportBackend();
    const frames: unknown[] = [];
    const conn = backend.connectBuyer((f) => frames.push(f));
    conn.receive('{nope');
    conn.receive({ v: 1, kind: 'command', id: 'c1', command: { type: 'message.send', body: { kind: 'text', text: 'hi' } } });
    conn.receive({ v: 1, kind: 'command', id: 'c2', command: { type: 'message.send', body: { kind: 'video' } } });
    expect(frames[0]).toMatchObject({ kind: 'error', error: { code: 'protocol' } });
    expect(frames[1]).toMatchObject({ kind: 'nack', id: 'c1', error: { code: 'unauthorized', retryable: true } });
    expect(frames[2]).toMatchObject({ kind: 'nack', id: 'c2', error: { code: 'protocol', retryable: false } });
  });
});

describe('SupportBackend: buyer identity', () => {
  // A stand-in for the shop's HMAC: the reference server's real verifier is tested there.
  const GOOD = 'a'.repeat(64);
  const verifyBuyer = (identity: BuyerIdentity) => (identity.signature === GOOD ? { id: identity.id, name: 'Verified Name' } : null);
  const identity = (overrides: Partial<BuyerIdentity> = {}): BuyerIdentity => ({ id: 'buyer-demo', expires: T0 + 3_600_000, signature: GOOD, ...overrides });

  it('trusts a verified identity: session.ready names the buyer and whether agents are on duty', () => {
    const { backend } = makeBackend({ verifyBuyer });
    const b = connectBuyer(backend, { identity: identity() });
    expect(b.ready.buyer).toEqual({ id: 'buyer-demo', name: '王小明 Wang Xiaoming' });
    expect(b.ready.agentsAvailable).toBe(true);
    expect(b.errors()).toEqual([]);
    expect(b.query({ type: 'orders.list' })).toMatchObject({ kind: 'result' });
  });

  it('refuses a forged signature and carries on as an anonymous visitor, never as the claimed buyer', () => {
    const { backend } = makeBackend({ verifyBuyer });
    const b = connectBuyer(backend, { identity: identity({ signature: 'b'.repeat(64) }) });
    expect(b.ready.buyer).toBeUndefined();
    expect(b.errors()).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'unauthorized', reason: 'identity-invalid' }) })]);
    expect(b.query({ type: 'orders.list' })).toMatchObject({ kind: 'nack', error: { code: 'unauthorized', reason: 'login-required' } });
  });

  it('refuses an expired identity, even with a good signature', () => {
    const { backend, clock } = makeBackend({ verifyBuyer });
    clock.set(T0 + 3_600_000);
    const b = connectBuyer(backend, { identity: identity() });
    expect(b.ready.buyer).toBeUndefined();
    expect(b.errors()[0]?.error).toMatchObject({ code: 'unauthorized', reason: 'identity-expired' });
  });

  it('trusts no claimed identity when no verifier is configured', () => {
    const b = connectBuyer(makeBackend().backend, { identity: identity() });
    expect(b.ready.buyer).toBeUndefined();
    expect(b.errors()[0]?.error).toMatchObject({ reason: 'identity-invalid' });
  });

  it('finds a verified buyer\'s conversation by buyer id, from any device', () => {
    const { backend } = makeBackend({ verifyBuyer });
    const phone = connectBuyer(backend, { visitorId: 'v_phone', identity: identity() });
    phone.say('asked on my phone');
    const laptop = connectBuyer(backend, { visitorId: 'v_laptop', identity: identity() });
    expect(laptop.ready.conversationId).toBe(phone.ready.conversationId);
    expect(laptop.texts()).toContain('asked on my phone');
  });

  it('does not hand a buyer\'s conversation to the same device once it is anonymous again', () => {
    const { backend } = makeBackend({ verifyBuyer });
    const loggedIn = connectBuyer(backend, { visitorId: 'v_shared', identity: identity() });
    loggedIn.say('my order question');
    const loggedOut = connectBuyer(backend, { visitorId: 'v_shared', conversationId: loggedIn.ready.conversationId });
    expect(loggedOut.ready.conversationId).not.toBe(loggedIn.ready.conversationId);
    expect(loggedOut.texts().join(' ')).not.toContain('my order question');
  });

  it('lets an anonymous visitor chat but refuses every order and case command with login-required', () => {
    const b = connectBuyer(makeBackend().backend);
    expect(b.say('hello')).toMatchObject({ kind: 'ack' });
    for (const command of [
      { type: 'order.cancel', orderId: 'XE10008' },
      { type: 'order.change-address', orderId: 'XE10008', address: { name: 'x', phone: '13800138000', region: 'r', line1: 'l' } },
      { type: 'case.act', caseId: 'AS-70002', event: { type: 'escalate' } },
      { type: 'message.send', body: { kind: 'order-card', orderId: 'XE10008' } },
    ] as const) {
      expect(b.command(command)).toMatchObject({ kind: 'nack', error: { code: 'unauthorized', reason: 'login-required' } });
    }
    for (const query of [{ type: 'orders.list' }, { type: 'order.get', orderId: 'XE10008' }, { type: 'cases.list' }] as const) {
      expect(b.query(query)).toMatchObject({ kind: 'nack', error: { code: 'unauthorized', reason: 'login-required' } });
    }
  });

  it('trusts the buyer a connection vouches for (the in-process transport)', () => {
    const b = demoBuyer(makeBackend().backend);
    expect(b.ready.buyer).toEqual({ id: 'buyer-demo', name: '王小明 Wang Xiaoming' });
  });
});
