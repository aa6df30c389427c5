import { describe, expect, it } from 'vitest';
import { RefusedError } from '../../errors.js';
import { DELIVERED_AT, T0, cny, makeOrder, orderAt } from '../order.fixtures.js';
import type { Order, OrderItem } from '../order.js';
import { DAY_MS } from '../time.js';
import {
  eligibility,
  exclusionCategories,
  fastRefund,
  noReasonReturn,
  noReasonWindowEnd,
  orderStage,
  refundableAmount,
  returnPostagePayer,
  type EligibilityCode,
} from './policy.js';

const WINDOW_END = DELIVERED_AT + 7 * DAY_MS;
const IN_WINDOW = DELIVERED_AT + DAY_MS;
const codes = (reasons: readonly { code: EligibilityCode }[]) => reasons.map((r) => r.code);

function withFlags(order: Order, flags: Record<string, OrderItem['flags']>): Order {
  return { ...order, items: order.items.map((i) => ({ ...i, flags: flags[i.lineId] ?? {} })) };
}

describe('case verdicts by order status', () => {
  it('closed: nothing is allowed', () => {
    const e = eligibility(orderAt('closed'), IN_WINDOW);
    for (const type of ['refund-only', 'return-and-refund', 'exchange'] as const) {
      expect(e.cases[type]).toEqual({ allowed: false, reasons: [{ code: 'order-closed' }] });
    }
    expect(e.noReasonReturn.eligible).toBe(false);
    expect(codes(e.fastRefund.reasons)).toContain('order-closed');
    expect(e.fastRefund.eligible).toBe(false);
  });

  it('awaiting payment: nothing is allowed', () => {
    const e = eligibility(orderAt('awaiting-payment'), T0);
    for (const type of ['refund-only', 'return-and-refund', 'exchange'] as const) {
      expect(e.cases[type]).toEqual({ allowed: false, reasons: [{ code: 'awaiting-payment' }] });
    }
  });

  it('awaiting shipment: refund-only allowed, return and exchange not before delivery', () => {
    const e = eligibility(orderAt('awaiting-shipment'), T0);
    expect(e.cases['refund-only']).toEqual({ allowed: true, reasons: [] });
    expect(e.cases['return-and-refund']).toEqual({ allowed: false, reasons: [{ code: 'not-delivered-yet' }] });
    expect(e.cases.exchange).toEqual({ allowed: false, reasons: [{ code: 'not-delivered-yet' }] });
  });

  it('shipped (in transit): refund-only refused as in transit, return and exchange not delivered yet', () => {
    const e = eligibility(orderAt('shipped'), T0 + 2 * DAY_MS);
    expect(e.cases['refund-only']).toEqual({ allowed: false, reasons: [{ code: 'in-transit' }] });
    expect(e.cases['return-and-refund']).toEqual({ allowed: false, reasons: [{ code: 'not-delivered-yet' }] });
    expect(e.cases.exchange.allowed).toBe(false);
  });

  it('delivered: all three allowed; return verdicts tell the window and the excluded lines', () => {
    const e = eligibility(makeOrder(), IN_WINDOW);
    expect(e.cases['refund-only'].allowed).toBe(true);
    expect(e.cases.exchange.allowed).toBe(true);
    expect(e.cases['return-and-refund']).toEqual({
      allowed: true,
      reasons: [
        { code: 'no-reason-window-open', params: { until: WINDOW_END } },
        { code: 'category-excluded', params: { lineIds: ['L2'], category: 'custom-made' } },
      ],
    });
  });

  it('completed: after-sales still allowed', () => {
    const e = eligibility(orderAt('completed'), IN_WINDOW);
    expect([e.cases['refund-only'].allowed, e.cases['return-and-refund'].allowed, e.cases.exchange.allowed]).toEqual([true, true, true]);
  });

  it('after the window, returns stay allowed (for quality problems) and say the window closed', () => {
    const e = eligibility(makeOrder(), WINDOW_END + DAY_MS);
    expect(e.cases['return-and-refund'].allowed).toBe(true);
    expect(e.cases['return-and-refund'].reasons[0]).toEqual({ code: 'no-reason-window-closed', params: { closedAt: WINDOW_END } });
  });

  it('nothing left to refund: nothing is allowed', () => {
    const e = eligibility(makeOrder({ refunded: cny(13000) }), IN_WINDOW);
    expect(e.refundable).toEqual(cny(0));
    expect(e.cases['refund-only']).toEqual({ allowed: false, reasons: [{ code: 'nothing-left-to-refund' }] });
    expect(e.cases['return-and-refund'].allowed).toBe(false);
    expect(e.noReasonReturn.eligible).toBe(false);
  });
});

describe('refundable amount and stage', () => {
  it('is paid minus already refunded', () => {
    expect(refundableAmount(makeOrder({ refunded: cny(3000) }))).toEqual(cny(10000));
    expect(refundableAmount(makeOrder())).toEqual(cny(13000));
  });

  it('maps statuses to stages', () => {
    expect(orderStage(orderAt('awaiting-shipment'))).toBe('before-shipment');
    expect(orderStage(orderAt('delivered'))).toBe('after-delivery');
    expect(orderStage(orderAt('completed'))).toBe('after-delivery');
    for (const s of ['awaiting-payment', 'shipped', 'closed'] as const) expect(orderStage(orderAt(s))).toBeUndefined();
  });
});

describe('no-reason return window', () => {
  it('ends exactly 7 × 24 h after delivery', () => {
    expect(noReasonWindowEnd(makeOrder())).toBe(DELIVERED_AT + 7 * 24 * 60 * 60 * 1000);
  });

  it('is open one millisecond before the boundary', () => {
    const r = noReasonReturn(makeOrder(), WINDOW_END - 1);
    expect(r.eligible).toBe(true);
    expect(r.until).toBe(WINDOW_END);
    expect(r.reasons[0]).toEqual({ code: 'no-reason-window-open', params: { until: WINDOW_END } });
  });

  it('is closed exactly at the boundary', () => {
    const r = noReasonReturn(makeOrder(), WINDOW_END);
    expect(r.eligible).toBe(false);
    expect(r.reasons[0]).toEqual({ code: 'no-reason-window-closed', params: { closedAt: WINDOW_END } });
  });

  it('follows the order policy length', () => {
    const order = makeOrder({ policy: { ...makeOrder().policy, noReasonReturnDays: 15 } });
    expect(noReasonReturn(order, DELIVERED_AT + 14 * DAY_MS).eligible).toBe(true);
    expect(noReasonReturn(order, DELIVERED_AT + 15 * DAY_MS).eligible).toBe(false);
  });

  it('is not open before delivery', () => {
    const r = noReasonReturn(orderAt('awaiting-shipment'), T0);
    expect(r.eligible).toBe(false);
    expect(r.until).toBeUndefined();
    expect(codes(r.reasons)).toContain('not-delivered-yet');
  });

  it('cannot be counted without a delivery time', () => {
    const r = noReasonReturn(makeOrder({ deliveredAt: undefined }), IN_WINDOW);
    expect(r.eligible).toBe(false);
    expect(codes(r.reasons)).toContain('delivery-time-unknown');
  });

  it('excludes custom-made, perishable, digital and shop-marked lines', () => {
    const order = withFlags(
      { ...makeOrder(), items: [...makeOrder().items, { ...makeOrder().items[0]!, lineId: 'L3' }, { ...makeOrder().items[0]!, lineId: 'L4' }, { ...makeOrder().items[0]!, lineId: 'L5' }] },
      { L2: { customMade: true }, L3: { perishable: true }, L4: { digital: true }, L5: { excludedFromNoReasonReturn: true } },
    );
    const r = noReasonReturn(order, IN_WINDOW);
    expect(r.eligible).toBe(true);
    expect(r.excludedLineIds).toEqual(['L2', 'L3', 'L4', 'L5']);
    expect(r.reasons.filter((x) => x.code === 'category-excluded')).toEqual([
      { code: 'category-excluded', params: { lineIds: ['L2'], category: 'custom-made' } },
      { code: 'category-excluded', params: { lineIds: ['L3'], category: 'perishable' } },
      { code: 'category-excluded', params: { lineIds: ['L4'], category: 'digital' } },
      { code: 'category-excluded', params: { lineIds: ['L5'], category: 'shop-excluded' } },
    ]);
  });

  it('lists a line under every category it has', () => {
    const item = { ...makeOrder().items[0]!, flags: { perishable: true, digital: true } };
    expect(exclusionCategories(item)).toEqual(['perishable', 'digital']);
  });

  it('is not eligible when every line is excluded', () => {
    const order = withFlags(makeOrder(), { L1: { digital: true }, L2: { customMade: true } });
    const r = noReasonReturn(order, IN_WINDOW);
    expect(r.eligible).toBe(false);
    expect(codes(r.reasons)).toContain('all-lines-excluded');
    expect(r.excludedLineIds).toEqual(['L1', 'L2']);
  });
});

describe('fast refund', () => {
  it('is eligible when buyer and order qualify and the amount is within the limit', () => {
    expect(fastRefund(makeOrder())).toEqual({ eligible: true, maxAmount: cny(20000), reasons: [] });
  });

  it('needs the buyer to qualify (absent means no; options override the order)', () => {
    const order = makeOrder({ policy: { ...makeOrder().policy, buyerFastRefundEligible: undefined } });
    expect(codes(fastRefund(order).reasons)).toEqual(['fast-refund-buyer-ineligible']);
    expect(fastRefund(order, { buyerFastRefundEligible: true }).eligible).toBe(true);
    expect(fastRefund(makeOrder(), { buyerFastRefundEligible: false }).eligible).toBe(false);
  });

  it('needs the order to qualify', () => {
    const order = makeOrder({ policy: { ...makeOrder().policy, fastRefund: { eligible: false, maxAmount: cny(20000) } } });
    expect(fastRefund(order)).toMatchObject({ eligible: false, reasons: [{ code: 'fast-refund-order-ineligible' }] });
  });

  it('refuses an amount above the limit, and accepts exactly the limit', () => {
    const order = makeOrder({ policy: { ...makeOrder().policy, fastRefund: { eligible: true, maxAmount: cny(5000) } } });
    expect(fastRefund(order, { amount: cny(5000) }).eligible).toBe(true);
    expect(fastRefund(order, { amount: cny(5001) }).reasons).toEqual([
      { code: 'fast-refund-amount-above-limit', params: { amount: cny(5001), maxAmount: cny(5000) } },
    ]);
    // Without an amount the whole refundable ¥130 is judged.
    expect(fastRefund(order).eligible).toBe(false);
  });

  it('collects every reason', () => {
    const order = makeOrder({ policy: { ...makeOrder().policy, buyerFastRefundEligible: false, fastRefund: { eligible: false, maxAmount: cny(100) } } });
    expect(codes(fastRefund(order).reasons)).toEqual(['fast-refund-buyer-ineligible', 'fast-refund-order-ineligible', 'fast-refund-amount-above-limit']);
  });
});

describe('return postage', () => {
  const insured = makeOrder({ policy: { ...makeOrder().policy, shippingInsurance: { covered: true, maxPayout: cny(1200) } } });

  it('insurance pays when the order is covered, whatever the reason', () => {
    expect(returnPostagePayer(insured, 'no-longer-needed')).toBe('insurance');
    expect(returnPostagePayer(insured, 'damaged')).toBe('insurance');
    expect(eligibility(insured, IN_WINDOW).shippingInsurance).toEqual({ covered: true, payer: 'insurance', maxPayout: cny(1200) });
  });

  it('the merchant pays for quality-problem reasons when uninsured', () => {
    for (const reason of ['damaged', 'quality-problem', 'wrong-item', 'not-as-described', 'missing-parts']) {
      expect(returnPostagePayer(makeOrder(), reason), reason).toBe('merchant');
    }
  });

  it('otherwise the buyer pays', () => {
    expect(returnPostagePayer(makeOrder(), 'no-longer-needed')).toBe('buyer');
    expect(returnPostagePayer(makeOrder(), 'size-exchange')).toBe('buyer');
    expect(returnPostagePayer(makeOrder())).toBe('buyer');
    expect(eligibility(makeOrder(), IN_WINDOW).shippingInsurance.payer).toBe('buyer');
  });
});

it('refuses a bad now', () => {
  expect(() => eligibility(makeOrder(), -1)).toThrow(RefusedError);
});
