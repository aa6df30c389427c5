import type { Money } from './money.js';
import type { Order, OrderStatus } from './order.js';
import { DAY_MS, HOUR_MS } from './time.js';

/**
 * Fixtures for domain tests (not part of the public API): one CNY order whose timestamps are
 * fixed, so tests pass `now` values relative to them.
 */
export const T0 = Date.UTC(2025, 0, 10, 8, 0, 0);
export const PAID_AT = T0 + HOUR_MS;
export const SHIPPED_AT = T0 + DAY_MS;
export const DELIVERED_AT = T0 + 3 * DAY_MS;

export const cny = (amount: number): Money => ({ amount, currency: 'CNY' });

/**
 * A delivered order: two T-shirts (¥50 each, ¥90 paid for the line after a ¥10 discount) and a
 * custom-made mug (¥30), ¥10 shipping, ¥130 paid, nothing refunded. The buyer and order qualify
 * for fast refund up to ¥200; no shipping insurance.
 */
export function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 'o_1',
    buyerId: 'b_1',
    items: [
      { lineId: 'L1', title: 'T-shirt', sku: 'TS-M-BLK', quantity: 2, unitPrice: cny(5000), paid: cny(9000), flags: {} },
      { lineId: 'L2', title: 'Custom mug', sku: 'MUG-CUSTOM', quantity: 1, unitPrice: cny(3000), paid: cny(3000), flags: { customMade: true } },
    ],
    totals: { goods: cny(13000), shipping: cny(1000), discount: cny(1000), paid: cny(13000) },
    status: 'delivered',
    createdAt: T0,
    paidAt: PAID_AT,
    shippedAt: SHIPPED_AT,
    deliveredAt: DELIVERED_AT,
    address: { name: '张三', phone: '+86 138 0013 8000', region: '浙江省 杭州市 西湖区', line1: '文三路 100 号' },
    contact: { phone: '138****8000' },
    shipment: {
      carrier: 'SF Express',
      waybillNumber: 'SF1234567890',
      events: [
        { at: SHIPPED_AT, place: 'Hangzhou', text: 'Picked up' },
        { at: DELIVERED_AT, place: 'Hangzhou', text: 'Delivered' },
      ],
    },
    policy: {
      noReasonReturnDays: 7,
      fastRefund: { eligible: true, maxAmount: cny(20000) },
      shippingInsurance: { covered: false, maxPayout: cny(1200) },
      buyerFastRefundEligible: true,
    },
    refunded: cny(0),
    ...overrides,
  };
}

/** The same order at an earlier (or later) status, with the timestamps that status implies. */
export function orderAt(status: OrderStatus, overrides: Partial<Order> = {}): Order {
  const base = makeOrder({ status });
  const { paidAt: _paid, shippedAt: _shipped, deliveredAt: _delivered, shipment: _shipment, ...rest } = base;
  switch (status) {
    case 'awaiting-payment':
      return { ...rest, ...overrides };
    case 'awaiting-shipment':
      return { ...rest, paidAt: PAID_AT, ...overrides };
    case 'shipped':
      return { ...rest, paidAt: PAID_AT, shippedAt: SHIPPED_AT, shipment: base.shipment!, ...overrides };
    default:
      return { ...base, ...overrides };
  }
}
