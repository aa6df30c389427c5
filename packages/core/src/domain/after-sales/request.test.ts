import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DELIVERED_AT, T0, cny, makeOrder, orderAt } from '../order.fixtures.js';
import type { Order } from '../order.js';
import { DAY_MS } from '../time.js';
import {
  AFTER_SALES_REASONS,
  AFTER_SALES_REASON_CODES,
  AfterSalesRequestSchema,
  MAX_EVIDENCE_PHOTOS,
  evidenceChecklist,
  reasonsFor,
  refundableForLines,
  validateAfterSalesRequest,
  type AfterSalesRequest,
  type EvidencePhoto,
  type RequestFieldError,
} from './request.js';

const IN_WINDOW = DELIVERED_AT + DAY_MS;
const WINDOW_END = DELIVERED_AT + 7 * DAY_MS;

/** A valid no-reason return of one T-shirt (¥45 of the ¥90 line). */
function request(overrides: Partial<AfterSalesRequest> = {}): AfterSalesRequest {
  return {
    type: 'return-and-refund',
    lines: [{ lineId: 'L1', quantity: 1 }],
    reason: 'no-longer-needed',
    amount: cny(4500),
    description: 'Too small  ',
    photos: [],
    ...overrides,
  };
}

const damagedPhotos: EvidencePhoto[] = [
  { id: 'p1', slot: 'outer-box' },
  { id: 'p2', slot: 'shipping-label' },
  { id: 'p3', slot: 'defect-close-up', lineId: 'L1' },
];

function errorsOf(order: Order, req: AfterSalesRequest, now = IN_WINDOW): RequestFieldError[] {
  const result = validateAfterSalesRequest(order, req, now);
  return result.ok ? [] : [...result.errors];
}

describe('reasons', () => {
  it('lists every code once, each with a type', () => {
    expect(AFTER_SALES_REASONS.map((r) => r.code)).toEqual([...AFTER_SALES_REASON_CODES]);
    for (const r of AFTER_SALES_REASONS) expect(Object.keys(r.for).length, r.code).toBeGreaterThan(0);
  });

  it('asks for outer box, shipping label and a close-up when goods arrived damaged', () => {
    expect(evidenceChecklist('damaged')).toEqual(['outer-box', 'shipping-label', 'defect-close-up']);
    expect(evidenceChecklist('no-longer-needed')).toEqual([]);
    expect(evidenceChecklist('bogus')).toEqual([]);
  });

  it('gives reasons per type and stage', () => {
    expect(reasonsFor('refund-only', 'before-shipment')).toEqual(['no-longer-needed']);
    expect(reasonsFor('refund-only', 'after-delivery')).toEqual(['damaged', 'quality-problem', 'not-as-described', 'missing-parts', 'not-received']);
    expect(reasonsFor('exchange')).toEqual(['size-exchange', 'wrong-item', 'damaged', 'quality-problem']);
    expect(reasonsFor('return-and-refund')).not.toContain('not-received');
  });
});

describe('validateAfterSalesRequest: accepted requests', () => {
  it('accepts a no-reason return inside the window and trims the description', () => {
    const result = validateAfterSalesRequest(makeOrder(), request(), IN_WINDOW);
    expect(result).toEqual({ ok: true, value: { ...request(), description: 'Too small' } });
  });

  it('accepts a refund-only "no longer needed" before shipment', () => {
    const req = request({ type: 'refund-only', lines: [{ lineId: 'L1', quantity: 2 }, { lineId: 'L2', quantity: 1 }], amount: cny(12000) });
    expect(errorsOf(orderAt('awaiting-shipment'), req, T0)).toEqual([]);
  });

  it('accepts a damaged-goods return of an excluded (custom-made) line with the full checklist', () => {
    const req = request({ reason: 'damaged', lines: [{ lineId: 'L2', quantity: 1 }], amount: cny(3000), photos: damagedPhotos.map((p) => ({ ...p, lineId: 'L2' })) });
    expect(errorsOf(makeOrder(), req, WINDOW_END + DAY_MS)).toEqual([]);
  });

  it('accepts an exchange with a zero amount', () => {
    expect(errorsOf(makeOrder(), request({ type: 'exchange', reason: 'size-exchange', amount: cny(0) }))).toEqual([]);
  });
});

describe('validateAfterSalesRequest: lines', () => {
  it('refuses an unknown line', () => {
    expect(errorsOf(makeOrder(), request({ lines: [{ lineId: 'L9', quantity: 1 }] }))).toContainEqual({ path: 'lines[0].lineId', code: 'unknown-line' });
  });

  it('refuses a quantity above what was bought', () => {
    expect(errorsOf(makeOrder(), request({ lines: [{ lineId: 'L1', quantity: 3 }] }))).toEqual([
      { path: 'lines[0].quantity', code: 'quantity-above-bought', params: { bought: 2 } },
    ]);
  });

  it('refuses zero and fractional quantities', () => {
    expect(errorsOf(makeOrder(), request({ lines: [{ lineId: 'L1', quantity: 0 }] }))).toContainEqual({ path: 'lines[0].quantity', code: 'quantity-invalid' });
    expect(errorsOf(makeOrder(), request({ lines: [{ lineId: 'L1', quantity: 1.5 }] }))).toContainEqual({ path: 'lines[0].quantity', code: 'quantity-invalid' });
  });

  it('refuses a repeated line and no lines at all', () => {
    expect(errorsOf(makeOrder(), request({ lines: [{ lineId: 'L1', quantity: 1 }, { lineId: 'L1', quantity: 1 }] }))).toContainEqual({ path: 'lines[1].lineId', code: 'duplicate-line' });
    expect(errorsOf(makeOrder(), request({ lines: [] }))).toContainEqual({ path: 'lines', code: 'no-lines' });
  });
});

describe('validateAfterSalesRequest: type and reason', () => {
  it('refuses a case type the order does not allow, with the eligibility reasons', () => {
    expect(errorsOf(orderAt('awaiting-shipment'), request(), T0)).toContainEqual({ path: 'type', code: 'type-not-allowed', params: { reasons: ['not-delivered-yet'] } });
    expect(errorsOf(orderAt('closed'), request({ type: 'refund-only' }), T0)).toContainEqual({ path: 'type', code: 'type-not-allowed', params: { reasons: ['order-closed'] } });
  });

  it('refuses a reason not listed for the type', () => {
    expect(errorsOf(makeOrder(), request({ reason: 'size-exchange' }))).toContainEqual({ path: 'reason', code: 'reason-not-allowed', params: { type: 'return-and-refund' } });
    expect(errorsOf(makeOrder(), request({ type: 'exchange', reason: 'not-received', amount: cny(0) }))).toContainEqual({ path: 'reason', code: 'reason-not-allowed', params: { type: 'exchange' } });
  });

  it('refuses a reason at the wrong stage (refund-only: damaged before shipment, no-longer-needed after delivery)', () => {
    expect(errorsOf(orderAt('awaiting-shipment'), request({ type: 'refund-only', reason: 'damaged', photos: damagedPhotos }), T0)).toEqual([
      { path: 'reason', code: 'reason-not-allowed', params: { type: 'refund-only', stage: 'before-shipment' } },
    ]);
    expect(errorsOf(makeOrder(), request({ type: 'refund-only' }))).toEqual([
      { path: 'reason', code: 'reason-not-allowed', params: { type: 'refund-only', stage: 'after-delivery' } },
    ]);
  });

  it('refuses an unknown reason', () => {
    expect(errorsOf(makeOrder(), request({ reason: 'changed-my-mind' as never }))).toContainEqual({ path: 'reason', code: 'unknown-reason' });
  });
});

describe('validateAfterSalesRequest: no-reason window and exclusions', () => {
  it('accepts a no-reason return one millisecond before 7 × 24 h', () => {
    expect(errorsOf(makeOrder(), request(), WINDOW_END - 1)).toEqual([]);
  });

  it('refuses a no-reason return exactly at 7 × 24 h', () => {
    expect(errorsOf(makeOrder(), request(), WINDOW_END)).toEqual([{ path: 'reason', code: 'no-reason-window-closed', params: { closedAt: WINDOW_END } }]);
  });

  it('refuses a no-reason size exchange after the window', () => {
    expect(errorsOf(makeOrder(), request({ type: 'exchange', reason: 'size-exchange', amount: cny(0) }), WINDOW_END)).toEqual([
      { path: 'reason', code: 'no-reason-window-closed', params: { closedAt: WINDOW_END } },
    ]);
  });

  it('refuses a no-reason return of an excluded line', () => {
    expect(errorsOf(makeOrder(), request({ lines: [{ lineId: 'L2', quantity: 1 }], amount: cny(3000) }))).toEqual([
      { path: 'lines[0].lineId', code: 'no-reason-excluded', params: { categories: ['custom-made'] } },
    ]);
  });

  it('does not apply the window to a refund-only before shipment', () => {
    const req = request({ type: 'refund-only', lines: [{ lineId: 'L2', quantity: 1 }], amount: cny(3000) });
    expect(errorsOf(orderAt('awaiting-shipment'), req, T0 + 30 * DAY_MS)).toEqual([]);
  });
});

describe('validateAfterSalesRequest: amount', () => {
  it('refunds the chosen lines pro rata by quantity', () => {
    expect(refundableForLines(makeOrder(), [{ lineId: 'L1', quantity: 1 }])).toEqual(cny(4500));
    expect(errorsOf(makeOrder(), request({ amount: cny(4500) }))).toEqual([]);
    expect(errorsOf(makeOrder(), request({ amount: cny(4501) }))).toEqual([{ path: 'amount', code: 'amount-above-refundable', params: { max: cny(4500) } }]);
  });

  it('rounds a share down so shares never exceed the line', () => {
    const base = makeOrder();
    const order: Order = { ...base, items: [{ ...base.items[0]!, quantity: 3, paid: cny(1000) }, base.items[1]!] };
    expect(refundableForLines(order, [{ lineId: 'L1', quantity: 1 }])).toEqual(cny(333));
    expect(refundableForLines(order, [{ lineId: 'L1', quantity: 3 }])).toEqual(cny(1000));
  });

  it('refuses an amount above what was paid for the order', () => {
    const all = [{ lineId: 'L1', quantity: 2 }, { lineId: 'L2', quantity: 1 }];
    const errors = errorsOf(makeOrder(), request({ reason: 'damaged', photos: damagedPhotos, lines: all, amount: cny(13001) }));
    expect(errors).toEqual([{ path: 'amount', code: 'amount-above-refundable', params: { max: cny(12000) } }]);
  });

  it('caps at paid − already refunded', () => {
    const order = makeOrder({ refunded: cny(10000) });
    const lines = [{ lineId: 'L1', quantity: 2 }];
    expect(refundableForLines(order, lines)).toEqual(cny(3000));
    expect(errorsOf(order, request({ lines, amount: cny(3001) }))).toEqual([{ path: 'amount', code: 'amount-above-refundable', params: { max: cny(3000) } }]);
  });

  it('subtracts what was refunded on the line when the shop reports it', () => {
    const base = makeOrder();
    const order: Order = { ...base, refunded: cny(5000), items: [{ ...base.items[0]!, refunded: cny(5000) }, base.items[1]!] };
    expect(refundableForLines(order, [{ lineId: 'L1', quantity: 2 }])).toEqual(cny(4000));
    expect(refundableForLines(order, [{ lineId: 'L2', quantity: 1 }])).toEqual(cny(3000));
  });

  it('refuses zero, fractional and foreign-currency amounts', () => {
    expect(errorsOf(makeOrder(), request({ amount: cny(0) }))).toEqual([{ path: 'amount', code: 'amount-not-positive' }]);
    expect(errorsOf(makeOrder(), request({ amount: { amount: 45.5, currency: 'CNY' } }))).toEqual([{ path: 'amount.amount', code: 'amount-invalid' }]);
    expect(errorsOf(makeOrder(), request({ amount: { amount: -1, currency: 'CNY' } }))).toEqual([{ path: 'amount.amount', code: 'amount-invalid' }]);
    expect(errorsOf(makeOrder(), request({ amount: { amount: 4500, currency: 'USD' } }))).toEqual([
      { path: 'amount.currency', code: 'currency-mismatch', params: { expected: 'CNY' } },
    ]);
  });

  it('refuses money on an exchange', () => {
    expect(errorsOf(makeOrder(), request({ type: 'exchange', reason: 'size-exchange', amount: cny(100) }))).toEqual([{ path: 'amount', code: 'amount-not-allowed' }]);
  });
});

describe('validateAfterSalesRequest: description and photos', () => {
  it('allows 500 characters and refuses 501', () => {
    expect(errorsOf(makeOrder(), request({ description: `${'字'.repeat(500)}   ` }))).toEqual([]);
    expect(errorsOf(makeOrder(), request({ description: '字'.repeat(501) }))).toEqual([{ path: 'description', code: 'description-too-long', params: { max: 500 } }]);
  });

  it(`allows ${MAX_EVIDENCE_PHOTOS} photos and refuses 10`, () => {
    const photos = (n: number): EvidencePhoto[] => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, slot: 'other' as const }));
    expect(errorsOf(makeOrder(), request({ photos: photos(9) }))).toEqual([]);
    expect(errorsOf(makeOrder(), request({ photos: photos(10) }))).toEqual([{ path: 'photos', code: 'too-many-photos', params: { max: 9 } }]);
  });

  it('requires every checklist slot of the reason', () => {
    const errors = errorsOf(makeOrder(), request({ reason: 'damaged', photos: [{ id: 'p1', slot: 'outer-box' }] }));
    expect(errors).toEqual([
      { path: 'photos', code: 'evidence-missing', params: { slot: 'shipping-label' } },
      { path: 'photos', code: 'evidence-missing', params: { slot: 'defect-close-up' } },
    ]);
  });

  it('refuses a photo of a line that is not in the request, a repeated photo and an unknown slot', () => {
    const errors = errorsOf(
      makeOrder(),
      request({ photos: [{ id: 'p1', slot: 'other', lineId: 'L2' }, { id: 'p1', slot: 'other' }, { id: 'p3', slot: 'selfie' as never }] }),
    );
    expect(errors).toEqual([
      { path: 'photos[0].lineId', code: 'unknown-line' },
      { path: 'photos[1].id', code: 'duplicate-photo' },
      { path: 'photos[2].slot', code: 'unknown-slot' },
    ]);
  });
});

describe('validateAfterSalesRequest: collecting', () => {
  it('reports every problem at once', () => {
    const errors = errorsOf(
      makeOrder(),
      request({
        lines: [{ lineId: 'L9', quantity: 1 }, { lineId: 'L1', quantity: 5 }],
        amount: cny(0),
        description: 'x'.repeat(501),
        photos: Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, slot: 'other' as const })),
      }),
      WINDOW_END,
    );
    expect(errors.map((e) => `${e.path}:${e.code}`)).toEqual([
      'reason:no-reason-window-closed',
      'lines[0].lineId:unknown-line',
      'lines[1].quantity:quantity-above-bought',
      'amount:amount-not-positive',
      'description:description-too-long',
      'photos:too-many-photos',
    ]);
  });

  it('reports a malformed request as invalid fields instead of throwing', () => {
    const bad = { ...request(), lines: [{ lineId: 'L1', quantity: '1' }] } as unknown as AfterSalesRequest;
    const result = validateAfterSalesRequest(makeOrder(), bad, IN_WINDOW);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => [e.path, e.code])).toEqual([['lines[0].quantity', 'invalid']]);
  });
});

describe('AfterSalesRequestSchema (wire)', () => {
  it('accepts a valid request and rejects 10 photos', () => {
    expect(v.is(AfterSalesRequestSchema, request())).toBe(true);
    const photos = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, slot: 'other' }));
    expect(v.is(AfterSalesRequestSchema, request({ photos: photos as EvidencePhoto[] }))).toBe(false);
  });
});
