import { describe, expect, it } from 'vitest';
import { connectBuyer, makeBackend } from './backend.fixtures.js';
import { GUEST_CODE_ATTEMPTS, GUEST_CODE_TTL_MS } from './guest-codes.js';

function setup() {
  const codes: { orderId: string; code: string; contact: unknown }[] = [];
  const { backend, clock } = makeBackend({ onGuestCode: (info) => codes.push(info) });
  const guest = connectBuyer(backend, { visitorId: 'v_guest' });
  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');
  return { backend, clock, guest, codes, wrong };
}

describe('SupportBackend: guest order look-up', () => {
  it('sends a 6-digit code to the order\'s contact, and the right code unlocks that one order, read-only', () => {
    const { guest, codes } = setup();
    expect(guest.command({ type: 'guest.code.request', orderId: 'XE10007' })).toMatchObject({ kind: 'ack' });
    expect(codes).toEqual([{ orderId: 'XE10007', code: expect.stringMatching(/^\d{6}$/), contact: { phone: '138****8000' }, conversationId: guest.ready.conversationId }]);
    const answer = guest.query({ type: 'guest.order', orderId: 'XE10007', code: codes[0]!.code });
    expect(answer).toMatchObject({ kind: 'result', result: { order: { id: 'XE10007', status: 'shipped', address: { phone: '****8000' } } } });
    // Now readable in this conversation (and sendable as a card), still not changeable.
    expect(guest.query({ type: 'order.get', orderId: 'XE10007' })).toMatchObject({ kind: 'result', result: { order: { id: 'XE10007' } } });
    expect(guest.command({ type: 'message.send', body: { kind: 'order-card', orderId: 'XE10007' } })).toMatchObject({ kind: 'ack' });
    expect(guest.command({ type: 'order.cancel', orderId: 'XE10007' })).toMatchObject({ kind: 'nack', error: { reason: 'login-required' } });
    expect(guest.query({ type: 'order.get', orderId: 'XE10008' })).toMatchObject({ kind: 'nack', error: { code: 'unauthorized' } });
    // One-time: the same code does not work twice.
    expect(guest.query({ type: 'guest.order', orderId: 'XE10007', code: codes[0]!.code })).toMatchObject({ kind: 'nack', error: { reason: 'code-invalid' } });
  });

  it('gives the same answer for an order that does not exist, and sends no code', () => {
    const { guest, codes } = setup();
    expect(guest.command({ type: 'guest.code.request', orderId: 'XE99999' }, 'g1')).toEqual({ v: 1, kind: 'ack', id: 'g1' });
    expect(codes).toEqual([]);
    expect(guest.query({ type: 'guest.order', orderId: 'XE99999', code: '123456' })).toMatchObject({ kind: 'nack', error: { code: 'refused', reason: 'code-invalid' } });
  });

  it('refuses a wrong code, and after five wrong codes refuses even the right one', () => {
    const { guest, codes, wrong } = setup();
    guest.command({ type: 'guest.code.request', orderId: 'XE10006' });
    const code = codes[0]!.code;
    for (let i = 1; i < GUEST_CODE_ATTEMPTS; i++) {
      expect(guest.query({ type: 'guest.order', orderId: 'XE10006', code: wrong(code) })).toMatchObject({ kind: 'nack', error: { reason: 'code-invalid' } });
    }
    expect(guest.query({ type: 'guest.order', orderId: 'XE10006', code: wrong(code) })).toMatchObject({ kind: 'nack', error: { reason: 'too-many-attempts' } });
    expect(guest.query({ type: 'guest.order', orderId: 'XE10006', code })).toMatchObject({ kind: 'nack', error: { reason: 'too-many-attempts' } });
  });

  it('refuses a code after its ten minutes', () => {
    const { guest, codes, clock } = setup();
    guest.command({ type: 'guest.code.request', orderId: 'XE10006' });
    clock.advance(GUEST_CODE_TTL_MS);
    expect(guest.query({ type: 'guest.order', orderId: 'XE10006', code: codes[0]!.code })).toMatchObject({ kind: 'nack', error: { reason: 'code-expired' } });
  });

  it('keeps a code to the conversation that asked for it', () => {
    const { backend, guest, codes } = setup();
    guest.command({ type: 'guest.code.request', orderId: 'XE10006' });
    const stranger = connectBuyer(backend, { visitorId: 'v_stranger' });
    expect(stranger.query({ type: 'guest.order', orderId: 'XE10006', code: codes[0]!.code })).toMatchObject({ kind: 'nack', error: { reason: 'code-invalid' } });
  });

  it('rate-limits code requests per conversation, telling when to retry', () => {
    const { guest, codes, clock } = setup();
    for (let i = 0; i < 3; i++) expect(guest.command({ type: 'guest.code.request', orderId: `XE1000${i + 5}` })).toMatchObject({ kind: 'ack' });
    const limited = guest.command({ type: 'guest.code.request', orderId: 'XE10008' });
    expect(limited).toMatchObject({ kind: 'nack', error: { code: 'rate-limited', retryable: true, retryAfterMs: GUEST_CODE_TTL_MS } });
    expect(codes).toHaveLength(3);
    clock.advance(GUEST_CODE_TTL_MS);
    expect(guest.command({ type: 'guest.code.request', orderId: 'XE10008' })).toMatchObject({ kind: 'ack' });
  });

  it('keeps the unlocked order readable after a restart', async () => {
    const { SupportBackend } = await import('./backend.js');
    const records: import('./records.js').BackendRecord[] = [];
    const codes: string[] = [];
    const { backend } = makeBackend({ persist: (r) => records.push(r), onGuestCode: (i) => codes.push(i.code) });
    const guest = connectBuyer(backend, { visitorId: 'v_guest' });
    guest.command({ type: 'guest.code.request', orderId: 'XE10007' });
    guest.query({ type: 'guest.order', orderId: 'XE10007', code: codes[0]! });
    const restored = new SupportBackend();
    restored.restore(records);
    const again = connectBuyer(restored, { visitorId: 'v_guest', conversationId: guest.ready.conversationId });
    expect(again.query({ type: 'order.get', orderId: 'XE10007' })).toMatchObject({ kind: 'result' });
  });
});
