import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BuyerIdentity, ServerFrame } from '@xiaoer/core';
import { T0, connectBuyer, demoBuyer, makeBackend } from './backend.fixtures.js';

// A stand-in for the shop's HMAC: the reference server's real verifier is tested there.
const GOOD = 'a'.repeat(64);
const RENEWED = 'c'.repeat(64);
const verifyBuyer = (identity: BuyerIdentity) => ([GOOD, RENEWED].includes(identity.signature) ? { id: identity.id } : null);
const TTL = 10 * 60_000;
const WARNING = 60_000;
const signed = (expires = T0 + TTL, signature = GOOD): BuyerIdentity => ({ id: 'buyer-demo', expires, signature });

/** The backend's clock and its timers move together. */
function setup() {
  const { backend, clock } = makeBackend({ verifyBuyer, identityWarningMs: WARNING });
  const advance = (ms: number) => {
    clock.advance(ms);
    vi.advanceTimersByTime(ms);
  };
  return { backend, clock, advance };
}

const kinds = (frames: ServerFrame[]) => frames.map((f) => (f.kind === 'error' ? `error:${f.error.reason}` : f.kind));
const restart = (b: ReturnType<typeof connectBuyer>, buyer?: BuyerIdentity) =>
  b.conn.receive({ v: 1, kind: 'session.start', visitor: { visitorId: 'v_1', ...(buyer ? { buyer } : {}) }, conversationId: b.ready.conversationId, afterSeq: b.events().at(-1)?.seq ?? 0 });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SupportBackend: a buyer identity expiring mid-session', () => {
  it('warns the connection before the signature expires, then says it expired (retryable) when it does', () => {
    const { backend, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    const start = b.frames.length;
    advance(TTL - WARNING - 1);
    expect(b.frames.length).toBe(start);
    advance(1);
    expect(b.frames.slice(start)).toEqual([{ v: 1, kind: 'identity.expiring', expires: T0 + TTL }]);
    advance(WARNING);
    expect(b.frames.slice(start + 1)).toEqual([
      { v: 1, kind: 'error', error: expect.objectContaining({ code: 'unauthorized', reason: 'identity-expired', retryable: true }) },
    ]);
  });

  it('refuses the buyer\'s commands and queries after expiry as retryable, applying nothing, but still serves the public FAQ', () => {
    const { backend, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    b.say('before');
    advance(TTL);
    const refusal = { kind: 'nack', error: { code: 'unauthorized', reason: 'identity-expired', retryable: true } };
    expect(b.say('after', 'c_after')).toMatchObject(refusal);
    expect(b.query({ type: 'orders.list' })).toMatchObject(refusal);
    expect(b.query({ type: 'messages.page', beforeSeq: 99 })).toMatchObject(refusal);
    expect(b.query({ type: 'faq.entries' })).toMatchObject({ kind: 'result' });
    expect(backend.messagesOf(b.ready.conversationId).flatMap((m) => ('text' in m.body ? [m.body.text] : []))).not.toContain('after');
  });

  it('judges expiry by the clock on every frame, not by its reminder timer', () => {
    const { backend, clock } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    clock.advance(TTL); // no timer has run
    expect(b.say('late')).toMatchObject({ kind: 'nack', error: { reason: 'identity-expired' } });
  });

  it('renews on the same connection with session.start: same conversation, the refused command applied once, orders readable again', () => {
    const { backend, clock, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    advance(TTL);
    expect(b.say('across the expiry', 'c_x')).toMatchObject({ kind: 'nack' });
    restart(b, signed(clock.now() + TTL, RENEWED));
    const ready = b.frames.filter((f) => f.kind === 'session.ready').at(-1);
    expect(ready).toMatchObject({ conversationId: b.ready.conversationId, buyer: { id: 'buyer-demo' } });
    expect(b.say('across the expiry', 'c_x')).toMatchObject({ kind: 'ack' });
    expect(b.say('across the expiry', 'c_x')).toMatchObject({ kind: 'ack' });
    expect(backend.messagesOf(b.ready.conversationId).filter((m) => m.clientId === 'c_x')).toHaveLength(1);
    expect(b.query({ type: 'orders.list' })).toMatchObject({ kind: 'result' });
  });

  it('watches only the newest signature after a renewal', () => {
    const { backend, clock, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    advance(TTL - WARNING);
    restart(b, signed(clock.now() + TTL, RENEWED));
    const start = b.frames.length;
    advance(TTL - WARNING - 1);
    // The first signature's expiry passed meanwhile: nothing said about it.
    expect(kinds(b.frames.slice(start))).toEqual([]);
    advance(1);
    expect(kinds(b.frames.slice(start))).toEqual(['identity.expiring']);
  });

  it('goes on anonymous when the client restarts the session without an identity: no orders, but its messages are taken', () => {
    const { backend, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    b.say('private question');
    advance(TTL);
    restart(b);
    const ready = b.frames.filter((f): f is Extract<ServerFrame, { kind: 'session.ready' }> => f.kind === 'session.ready').at(-1)!;
    expect(ready.buyer).toBeUndefined();
    expect(ready.conversationId).not.toBe(b.ready.conversationId);
    expect(b.query({ type: 'orders.list' })).toMatchObject({ kind: 'nack', error: { reason: 'login-required' } });
    expect(b.say('queued while expired', 'c_q')).toMatchObject({ kind: 'ack' });
    expect(backend.messagesOf(ready.conversationId).some((m) => m.clientId === 'c_q')).toBe(true);
  });

  it('does not take the expired signature again on the open link', () => {
    const { backend, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    advance(TTL);
    restart(b, signed());
    expect(b.frames.filter((f) => f.kind === 'session.ready').at(-1)).not.toHaveProperty('buyer');
    expect(b.errors().at(-1)?.error).toMatchObject({ code: 'unauthorized', reason: 'identity-expired' });
    expect(b.query({ type: 'orders.list' })).toMatchObject({ kind: 'nack', error: { reason: 'login-required' } });
  });

  it('says nothing more once the connection is closed', () => {
    const { backend, advance } = setup();
    const b = connectBuyer(backend, { identity: signed() });
    const start = b.frames.length;
    b.conn.close();
    advance(TTL);
    expect(b.frames.length).toBe(start);
  });

  it('never expires a buyer the connection itself vouches for', () => {
    const { backend, advance } = setup();
    const b = demoBuyer(backend);
    advance(365 * 24 * 3_600_000);
    expect(b.errors()).toEqual([]);
    expect(b.query({ type: 'orders.list' })).toMatchObject({ kind: 'result' });
  });
});
