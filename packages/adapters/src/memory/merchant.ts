import { ORDER_LIMITS, RefusedError, type CaseEventType, type Order } from '@xiaoer/core';

/**
 * The shop's own operations on an order (the buyer's rules live in core): hand it to a carrier,
 * record its delivery. They return a new order and never change the given one.
 */

/** The case events the desk may send: the merchant's, and the platform's ruling in mediation. */
export const DESK_CASE_EVENTS: readonly CaseEventType[] = ['approve', 'reject', 'receive-return', 'refund', 'ship-replacement', 'rule'];

/** awaiting-shipment → shipped, with the carrier's first scan. */
export function shipOrder(order: Order, shipment: { carrier: string; waybillNumber: string; place?: string }, now: number): Order {
  if (order.status !== 'awaiting-shipment') throw new RefusedError(`Order ${order.id} is ${order.status}; only an order awaiting shipment can ship.`, { reason: 'not-awaiting-shipment' });
  const carrier = shipment.carrier.trim();
  const waybillNumber = shipment.waybillNumber.trim();
  if (!carrier || carrier.length > ORDER_LIMITS.carrier) throw new RefusedError(`A carrier needs 1–${ORDER_LIMITS.carrier} characters.`, { reason: 'carrier-invalid' });
  if (!waybillNumber || waybillNumber.length > ORDER_LIMITS.waybillNumber) {
    throw new RefusedError(`A waybill number needs 1–${ORDER_LIMITS.waybillNumber} characters.`, { reason: 'waybill-invalid' });
  }
  return {
    ...order,
    status: 'shipped',
    shippedAt: now,
    shipment: { carrier, waybillNumber, events: [{ at: now, place: shipment.place ?? '福建省 南平市 武夷山', text: `${carrier} 已收取快件 · Picked up by ${carrier}` }] },
  };
}

/** shipped → delivered, with the delivery scan. Starts the 7-day no-reason window. */
export function deliverOrder(order: Order, now: number): Order {
  if (order.status !== 'shipped') throw new RefusedError(`Order ${order.id} is ${order.status}; only a shipped order can be delivered.`, { reason: 'not-shipped' });
  const shipment = order.shipment;
  return {
    ...order,
    status: 'delivered',
    deliveredAt: now,
    ...(shipment
      ? { shipment: { ...shipment, events: [...shipment.events, { at: now, place: order.address.region.slice(0, ORDER_LIMITS.place), text: '已签收 · Delivered' }].slice(-ORDER_LIMITS.shipmentEvents) } }
      : {}),
  };
}

/**
 * The order after a case paid `amount` back for some of its lines: each of those lines records
 * its share (in line order, never more than the line paid), and the order's total refunded grows,
 * never beyond what was paid. So a line refunded once cannot be refunded again in full.
 */
export function recordRefund(order: Order, amount: number, lineIds: readonly string[]): Order {
  let left = amount;
  const items = order.items.map((item) => {
    if (left <= 0 || !lineIds.includes(item.lineId)) return item;
    const already = item.refunded?.amount ?? 0;
    const share = Math.min(left, item.paid.amount - already);
    if (share <= 0) return item;
    left -= share;
    return { ...item, refunded: { amount: already + share, currency: item.paid.currency } };
  });
  const refunded = Math.min(order.totals.paid.amount, order.refunded.amount + amount);
  return { ...order, items, refunded: { amount: refunded, currency: order.refunded.currency } };
}

/** What the desk may do with an order now. */
export function orderDeskActions(order: Order): ('ship' | 'deliver')[] {
  if (order.status === 'awaiting-shipment') return ['ship'];
  if (order.status === 'shipped') return ['deliver'];
  return [];
}
