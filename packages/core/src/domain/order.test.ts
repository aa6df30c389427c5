import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { RefusedError } from '../errors.js';
import {
  OrderRefusedError,
  OrderSchema,
  assertCanCancel,
  assertCanChangeAddress,
  canCancel,
  canChangeAddress,
  cancelOrder,
  changeAddress,
  validateAddress,
  type Address,
  type Order,
  type OrderStatus,
} from './order.js';
import { T0, cny, makeOrder, orderAt } from './order.fixtures.js';

const NOW = T0 + 5 * 60 * 60 * 1000;
const NEW_ADDRESS: Address = { name: ' 李四 ', phone: '139-0000-1111', region: '上海市 浦东新区', line1: '世纪大道 1 号', postalCode: '200120' };

function refusedBy(fn: () => unknown): OrderRefusedError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OrderRefusedError);
    expect(e).toBeInstanceOf(RefusedError);
    return e as OrderRefusedError;
  }
  throw new Error('expected an OrderRefusedError');
}

describe('OrderSchema', () => {
  it('accepts the fixture orders at every status', () => {
    for (const status of ['awaiting-payment', 'awaiting-shipment', 'shipped', 'delivered', 'completed', 'closed'] as const) {
      expect(v.is(OrderSchema, orderAt(status)), status).toBe(true);
    }
  });

  it('accepts a well-formed order and fills defaults', () => {
    const { policy, items, ...rest } = makeOrder();
    const { noReasonReturnDays: _days, ...policyWithoutDays } = policy;
    const input = { ...rest, policy: policyWithoutDays, items: items.map(({ flags: _flags, ...item }) => item) };
    const parsed = v.parse(OrderSchema, input);
    expect(parsed.policy.noReasonReturnDays).toBe(7);
    expect(parsed.items[0]!.flags).toEqual({});
  });

  it('rejects amounts in a second currency', () => {
    const order = makeOrder({ refunded: { amount: 0, currency: 'USD' } });
    expect(v.is(OrderSchema, order)).toBe(false);
  });

  it('rejects repeated line ids', () => {
    const order = makeOrder();
    expect(v.is(OrderSchema, { ...order, items: [order.items[0], order.items[0]] })).toBe(false);
  });

  it('rejects more refunded than paid', () => {
    expect(v.is(OrderSchema, makeOrder({ refunded: cny(13001) }))).toBe(false);
  });

  it('rejects a delivered order without a delivery time', () => {
    expect(v.is(OrderSchema, makeOrder({ deliveredAt: undefined }))).toBe(false);
  });

  it('rejects fractional money, over-long titles and non-http image URLs', () => {
    const order = makeOrder();
    const item = order.items[0]!;
    expect(v.is(OrderSchema, { ...order, items: [{ ...item, paid: { amount: 90.5, currency: 'CNY' } }] })).toBe(false);
    expect(v.is(OrderSchema, { ...order, items: [{ ...item, title: 'x'.repeat(201) }] })).toBe(false);
    expect(v.is(OrderSchema, { ...order, items: [{ ...item, imageUrl: 'javascript:alert(1)' }] })).toBe(false);
    expect(v.is(OrderSchema, { ...order, items: [{ ...item, imageUrl: 'https://cdn.example.com/a.png' }] })).toBe(true);
  });
});

const STATUSES: OrderStatus[] = ['awaiting-payment', 'awaiting-shipment', 'shipped', 'delivered', 'completed', 'closed'];
const EXPECTED: Record<OrderStatus, ReturnType<typeof canCancel>> = {
  'awaiting-payment': { ok: true },
  'awaiting-shipment': { ok: true },
  shipped: { ok: false, reason: 'already-shipped' },
  delivered: { ok: false, reason: 'already-shipped' },
  completed: { ok: false, reason: 'already-shipped' },
  closed: { ok: false, reason: 'closed' },
};

describe('canChangeAddress / canCancel', () => {
  for (const status of STATUSES) {
    it(`${status}: ${EXPECTED[status].ok ? 'allowed' : `refused (${(EXPECTED[status] as { reason: string }).reason})`}`, () => {
      const order = orderAt(status);
      expect(canChangeAddress(order)).toEqual(EXPECTED[status]);
      expect(canCancel(order)).toEqual(EXPECTED[status]);
    });
  }

  it('throwing variants give a readable message and the reason code', () => {
    const shipped = orderAt('shipped');
    const e = refusedBy(() => assertCanCancel(shipped));
    expect(e.reason).toBe('already-shipped');
    expect(e.message).toBe('Cannot cancel order o_1: it has already shipped.');
    expect(refusedBy(() => assertCanChangeAddress(orderAt('closed'))).message).toBe('Cannot change the address of order o_1: it is closed.');
    expect(() => assertCanCancel(orderAt('awaiting-shipment'))).not.toThrow();
  });
});

describe('validateAddress', () => {
  it('accepts and trims a valid address, dropping empty optional fields', () => {
    const result = validateAddress({ ...NEW_ADDRESS, line2: '   ' });
    expect(result).toEqual({ ok: true, value: { name: '李四', phone: '139-0000-1111', region: '上海市 浦东新区', line1: '世纪大道 1 号', postalCode: '200120' } });
  });

  it('requires name, phone, region and first line (blank counts as missing)', () => {
    const result = validateAddress({ name: ' ', phone: '', region: '', line1: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('address-invalid');
    expect(result.errors).toEqual([
      { field: 'name', code: 'required' },
      { field: 'phone', code: 'required' },
      { field: 'region', code: 'required' },
      { field: 'line1', code: 'required' },
    ]);
  });

  it('refuses over-long fields with the limit', () => {
    const result = validateAddress({ ...NEW_ADDRESS, name: 'x'.repeat(51), line2: 'y'.repeat(201) });
    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'name', code: 'too-long', max: 50 },
      { field: 'line2', code: 'too-long', max: 200 },
    ]);
  });

  it('validates the phone loosely: formatting allowed, letters and too few or many digits not', () => {
    for (const phone of ['13800138000', '+86 138 0013 8000', '(021) 6888-8888', '+1.415.555.0100']) {
      expect(validateAddress({ ...NEW_ADDRESS, phone }).ok, phone).toBe(true);
    }
    for (const phone of ['call me', '1234', '1'.repeat(16), '138-abcd-8000', '++8613800138000']) {
      const result = validateAddress({ ...NEW_ADDRESS, phone });
      expect(result.ok ? [] : result.errors, phone).toEqual([{ field: 'phone', code: 'invalid-phone' }]);
    }
  });
});

describe('changeAddress', () => {
  it('returns a new order with the trimmed address and leaves the old one untouched', () => {
    const order = orderAt('awaiting-shipment');
    const snapshot = structuredClone(order);
    const next = changeAddress(order, NEW_ADDRESS, NOW);
    expect(next).not.toBe(order);
    expect(next.address.name).toBe('李四');
    expect(next.updatedAt).toBe(NOW);
    expect(order).toEqual(snapshot);
  });

  it('refuses on a shipped order', () => {
    const e = refusedBy(() => changeAddress(orderAt('shipped'), NEW_ADDRESS, NOW));
    expect(e.reason).toBe('already-shipped');
    expect(e.message).toContain('already shipped');
  });

  it('refuses on a closed order', () => {
    expect(refusedBy(() => changeAddress(orderAt('closed'), NEW_ADDRESS, NOW)).reason).toBe('closed');
  });

  it('refuses an invalid address and names the fields', () => {
    const e = refusedBy(() => changeAddress(orderAt('awaiting-payment'), { ...NEW_ADDRESS, phone: 'nope' }, NOW));
    expect(e.reason).toBe('address-invalid');
    expect(e.message).toContain('phone: invalid-phone');
  });

  it('refuses a missing or fractional now', () => {
    expect(() => changeAddress(orderAt('awaiting-payment'), NEW_ADDRESS, Number.NaN)).toThrow(RefusedError);
    expect(() => changeAddress(orderAt('awaiting-payment'), NEW_ADDRESS, 1.5)).toThrow(/now/);
  });
});

describe('cancelOrder', () => {
  it('closes an unpaid order without recording a refund', () => {
    const order = orderAt('awaiting-payment');
    const next = cancelOrder(order, NOW);
    expect(next.status).toBe('closed');
    expect(next.closedAt).toBe(NOW);
    expect(next.refunded).toEqual(cny(0));
    expect(order.status).toBe('awaiting-payment');
  });

  it('closes a paid order and records the whole paid amount as refunded', () => {
    const order: Order = orderAt('awaiting-shipment', { refunded: cny(500) });
    const next = cancelOrder(order, NOW);
    expect(next.status).toBe('closed');
    expect(next.refunded).toEqual(cny(13000));
    expect(order.refunded).toEqual(cny(500));
  });

  it('refuses to cancel a shipped order', () => {
    const e = refusedBy(() => cancelOrder(orderAt('shipped'), NOW));
    expect(e.reason).toBe('already-shipped');
    expect(e.orderId).toBe('o_1');
  });

  it('refuses to cancel a delivered order and an already closed one', () => {
    expect(refusedBy(() => cancelOrder(makeOrder(), NOW)).reason).toBe('already-shipped');
    expect(refusedBy(() => cancelOrder(orderAt('closed'), NOW)).reason).toBe('closed');
  });
});
