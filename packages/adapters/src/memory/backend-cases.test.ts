import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MAX_PHOTO_BYTES, MERCHANT_REPLY_HOURS, type AfterSalesCase } from '@xiaoer/core';
import { PNG_BASE64, PNG_BYTES, T0, connectDesk, demoBuyer, makeBackend, noReasonReturn, otherBuyer, schemaProblem } from './backend.fixtures.js';

const ORDER = 'XE10006'; // delivered two days ago: no-reason window open, insured, fast refund

describe('SupportBackend: opening after-sales cases', () => {
  it('opens a case through core\'s rules: ack with the case id, case.updated and a notice that opens it', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const ack = me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn() });
    expect(ack).toMatchObject({ kind: 'ack', result: { caseId: expect.stringMatching(/^AS-/) } });
    const caseId = (ack as { result: { caseId: string } }).result.caseId;
    const updated = me.lastOf('case.updated')!.case;
    expect(updated).toMatchObject({ id: caseId, orderId: ORDER, state: 'requested', fastRefundEligible: true, returnPostagePayer: 'insurance', deadlines: { merchantReplyBy: T0 + MERCHANT_REPLY_HOURS * HOUR_MS } });
    expect(schemaProblem({ case: updated })).toBeNull();
    expect(me.notices().at(-1)?.body).toMatchObject({ ref: { type: 'case', id: caseId } });
    const listed = me.query({ type: 'cases.list' });
    expect(listed.kind === 'result' && (listed.result as { cases: AfterSalesCase[] }).cases[0]?.id).toBe(caseId);
  });

  it('acknowledges a resent case.open with the same case id and opens nothing new', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const first = me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn() }, 'open-1');
    const again = me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn() }, 'open-1');
    expect(again).toEqual(first);
    expect(me.events().filter((f) => f.event.type === 'case.updated')).toHaveLength(1);
  });

  it('refuses an amount above what was paid for the lines, with the field error', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn({ amount: { amount: 12801, currency: 'CNY' } }) })).toMatchObject({
      kind: 'nack',
      error: { code: 'refused', reason: 'request-invalid', fields: [{ path: 'amount', code: 'amount-above-refundable' }] },
    });
  });

  it('refuses ten evidence photos with a field error, not a silent protocol failure', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const photos = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, slot: 'other' as const }));
    for (const p of photos) me.upload(p.id);
    const answer = me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn({ photos }) }, 'ten');
    expect(answer).toMatchObject({ kind: 'nack', id: 'ten', error: { code: 'refused', reason: 'request-invalid', fields: expect.arrayContaining([{ path: 'photos', code: 'too-many-photos' }]) } });
  });

  it('refuses evidence photos this conversation did not upload — another buyer\'s photo id among them', () => {
    const { backend } = makeBackend();
    const other = otherBuyer(backend);
    other.upload('their-photo');
    const me = demoBuyer(backend);
    me.upload('my-photo');
    const request = noReasonReturn({ photos: [{ id: 'my-photo', slot: 'item-received' }, { id: 'their-photo', slot: 'other' }] });
    expect(me.command({ type: 'case.open', orderId: ORDER, request })).toMatchObject({
      kind: 'nack',
      error: { code: 'refused', fields: [{ path: 'photos[1].id', code: 'unknown-photo' }] },
    });
  });

  it('refuses a case on another buyer\'s order (not-found) and a second open case on the same order', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.command({ type: 'case.open', orderId: 'XE20001', request: noReasonReturn({ amount: { amount: 100, currency: 'CNY' } }) })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(me.command({ type: 'case.open', orderId: 'XE10002', request: noReasonReturn() })).toMatchObject({ kind: 'nack', error: { reason: 'case-already-open' } });
  });

  it('refuses a no-reason return of a custom-made item, and one after the 7-day window', () => {
    const { backend, clock } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.command({ type: 'case.open', orderId: 'XE10004', request: noReasonReturn({ amount: { amount: 100, currency: 'CNY' } }) })).toMatchObject({
      kind: 'nack',
      error: { fields: expect.arrayContaining([{ path: 'lines[0].lineId', code: 'no-reason-excluded' }]) },
    });
    clock.advance(5 * DAY_MS); // XE10006 was delivered 2 days ago: now 7
    expect(me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn() })).toMatchObject({
      kind: 'nack',
      error: { fields: expect.arrayContaining([{ path: 'reason', code: 'no-reason-window-closed' }]) },
    });
  });
});

describe('SupportBackend: moving cases', () => {
  it('applies the buyer\'s events through core\'s machine and refuses an invalid transition', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.command({ type: 'case.act', caseId: 'AS-70003', event: { type: 'escalate' } })).toMatchObject({ kind: 'nack', error: { code: 'invalid-transition' } });
    expect(backend.afterSalesCase('AS-70003')?.state).toBe('requested');
    expect(me.command({ type: 'case.act', caseId: 'AS-70002', event: { type: 'escalate', note: '请平台介入' } })).toMatchObject({ kind: 'ack' });
    expect(me.lastOf('case.updated')?.case).toMatchObject({ id: 'AS-70002', state: 'escalated' });
    expect(me.notices().at(-1)?.body).toMatchObject({ ref: { type: 'case', id: 'AS-70002' } });
  });

  it('never lets one buyer act on or list another buyer\'s case', () => {
    const { backend } = makeBackend();
    const other = otherBuyer(backend);
    expect(other.command({ type: 'case.act', caseId: 'AS-70003', event: { type: 'withdraw' } })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(backend.afterSalesCase('AS-70003')?.state).toBe('requested');
    const listed = other.query({ type: 'cases.list' });
    expect(listed.kind === 'result' && (listed.result as { cases: AfterSalesCase[] }).cases.map((c) => c.id)).toEqual(['AS-70101']);
  });

  it('auto-approves at the merchant\'s deadline on tick, and not a moment before', () => {
    const { backend, clock } = makeBackend();
    const me = demoBuyer(backend);
    const deadline = backend.afterSalesCase('AS-70003')!.deadlines.merchantReplyBy!;
    expect(backend.tick(deadline - 1)).toEqual([]);
    expect(backend.afterSalesCase('AS-70003')?.state).toBe('requested');
    clock.set(deadline);
    expect(backend.tick()).toContain('AS-70003');
    const moved = me.lastOf('case.updated')!.case;
    expect(moved).toMatchObject({ id: 'AS-70003', state: 'awaiting-return' });
    expect(moved.timeline.at(-1)).toMatchObject({ type: 'auto-approved', by: 'system', at: deadline });
    expect(me.notices().at(-1)?.body.text).toMatch(/approved automatically/);
    expect(backend.tick()).toEqual([]);
  });

  it('delivers the desk\'s approval to the buyer as case.updated with a notice', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const desk = connectDesk(backend);
    desk.send({ kind: 'desk.buyer.open', buyerId: 'buyer-demo' });
    const view = desk.last('desk.buyer')!.view.cases.find((c) => c.case.id === 'AS-70003')!;
    expect(view.actions).toEqual(['approve', 'reject']);
    expect(view.deadline).toEqual({ kind: 'merchantReplyBy', at: expect.any(Number) });
    expect(view.evidence).toEqual([{ photoId: 'seed-dented-tin', slot: 'defect-close-up', url: expect.stringMatching(/^\/xiaoer\/photos\/[A-Za-z0-9_-]{32}$/) }]);
    desk.send({ kind: 'desk.case.act', caseId: 'AS-70003', event: { type: 'approve' } });
    expect(me.lastOf('case.updated')?.case).toMatchObject({ id: 'AS-70003', state: 'awaiting-return' });
    expect(me.notices().at(-1)?.body).toMatchObject({ text: expect.stringMatching(/merchant approved case AS-70003/), ref: { type: 'case', id: 'AS-70003' } });
    expect(desk.last('desk.buyer')!.view.cases.find((c) => c.case.id === 'AS-70003')!.actions).toEqual([]);
  });

  it('takes a rejection reason from the desk, and refuses events the desk may not send', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const desk = connectDesk(backend);
    desk.send({ kind: 'desk.case.act', caseId: 'AS-70003', event: { type: 'withdraw' } });
    expect(desk.last('desk.error')?.message).toMatch(/cannot send 'withdraw'/);
    desk.send({ kind: 'desk.case.act', caseId: 'AS-70003', event: { type: 'reject', reason: '' } });
    expect(desk.last('desk.error')).toMatchObject({ reason: 'invalid-transition' });
    desk.send({ kind: 'desk.case.act', caseId: 'AS-70003', event: { type: 'reject', reason: '包装完好，无质量问题' } });
    expect(me.lastOf('case.updated')?.case).toMatchObject({ state: 'rejected', rejection: { reason: '包装完好，无质量问题' } });
  });

  it('runs a return with fast refund to the end: the refund reaches the order too', () => {
    const { backend, clock } = makeBackend();
    const me = demoBuyer(backend);
    const desk = connectDesk(backend);
    const ack = me.command({ type: 'case.open', orderId: ORDER, request: noReasonReturn() });
    const caseId = (ack as { result: { caseId: string } }).result.caseId;
    clock.advance(HOUR_MS);
    desk.send({ kind: 'desk.case.act', caseId, event: { type: 'approve' } });
    clock.advance(DAY_MS);
    expect(me.command({ type: 'case.act', caseId, event: { type: 'ship-return', carrier: '顺丰速运', trackingNumber: 'SF7788' } })).toMatchObject({ kind: 'ack' });
    expect(me.lastOf('case.updated')?.case).toMatchObject({ state: 'return-shipped', refund: { amount: { amount: 12800 }, fast: true } });
    expect(me.lastOf('order.updated')?.order).toMatchObject({ id: ORDER, refunded: { amount: 12800 } });
    desk.send({ kind: 'desk.case.act', caseId, event: { type: 'receive-return' } });
    expect(backend.afterSalesCase(caseId)?.state).toBe('refunded');
  });

  it('lets the platform rule on an escalated case from the desk', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    me.command({ type: 'case.act', caseId: 'AS-70002', event: { type: 'escalate' } });
    const desk = connectDesk(backend);
    desk.send({ kind: 'desk.buyer.open', buyerId: 'buyer-demo' });
    expect(desk.last('desk.buyer')!.view.cases.find((c) => c.case.id === 'AS-70002')!.actions).toEqual(['rule']);
    desk.send({ kind: 'desk.case.act', caseId: 'AS-70002', event: { type: 'rule', ruling: 'for-buyer' } });
    expect(me.lastOf('case.updated')?.case).toMatchObject({ id: 'AS-70002', state: 'approved', mediation: { ruling: 'for-buyer' } });
  });

  it('seeds a requested, a rejected (escalation still possible) and a closed, refunded case', () => {
    const { backend } = makeBackend();
    expect(backend.afterSalesCase('AS-70003')).toMatchObject({ state: 'requested' });
    expect(backend.afterSalesCase('AS-70002')).toMatchObject({ state: 'rejected' });
    expect(backend.afterSalesCase('AS-70002')!.deadlines.escalateBy).toBeGreaterThan(T0);
    expect(backend.afterSalesCase('AS-70001')).toMatchObject({ state: 'closed', outcome: 'refunded' });
  });
});

describe('SupportBackend: photos', () => {
  it('stores an upload under an unguessable token and treats a resend of the same photo id as the same photo', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const first = me.upload('p1');
    expect(first).toMatchObject({ kind: 'ack', result: { photoId: 'p1', url: expect.stringMatching(/^\/xiaoer\/photos\/[A-Za-z0-9_-]{32}$/) } });
    const url = (first as { result: { url: string } }).result.url;
    expect(me.upload('p1')).toEqual(first); // same command id
    expect(me.upload('p1', PNG_BASE64, 'image/png', 'another-command-id')).toMatchObject({ result: { url } });
    const served = backend.photo(url.split('/').pop()!);
    expect(served?.mime).toBe('image/png');
    expect([...served!.bytes]).toEqual([...PNG_BYTES]);
  });

  it('refuses bytes that are not the declared image type, empty photos and oversized ones', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.upload('p1', PNG_BASE64, 'image/jpeg')).toMatchObject({ kind: 'nack', error: { reason: 'photo-type-mismatch' } });
    expect(me.upload('p2', btoa('<html><script>alert(1)</script></html>'), 'image/png')).toMatchObject({ kind: 'nack', error: { reason: 'photo-type-mismatch' } });
    expect(me.upload('p3', '')).toMatchObject({ kind: 'nack', error: { reason: 'photo-empty' } });
    const big = new Uint8Array(MAX_PHOTO_BYTES + 3);
    big.set(PNG_BYTES);
    let binary = '';
    for (const b of big) binary += String.fromCharCode(b);
    // Above the wire limit the frame itself is malformed: still answered with a nack for its id.
    expect(me.upload('p4', btoa(binary))).toMatchObject({ kind: 'nack', id: 'p4' });
  });

  it('turns an image message into the photo\'s URL, and refuses a photo id this conversation never uploaded', () => {
    const { backend } = makeBackend();
    const other = otherBuyer(backend);
    other.upload('shared-name');
    const me = demoBuyer(backend);
    expect(me.command({ type: 'message.send', body: { kind: 'image', photoId: 'shared-name' } })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    const url = (me.upload('mine') as { result: { url: string } }).result.url;
    me.command({ type: 'message.send', body: { kind: 'image', photoId: 'mine' } });
    expect(me.messages().find((m) => m.body.kind === 'image')?.body).toEqual({ kind: 'image', photoId: 'mine', url });
  });
});
