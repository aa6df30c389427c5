import { describe, expect, it } from 'vitest';
import { DAY_MS, ORDER_STATUSES, eligibility, type Order } from '@xiaoer/core';
import { schemaProblem, connectBuyer, connectDesk, demoBuyer, makeBackend, otherBuyer, T0 } from './backend.fixtures.js';
import { demoShop } from './seed-orders.js';

const NEW_ADDRESS = { name: '王小明', phone: '+86 138 0013 8000', region: '浙江省 杭州市 滨江区', line1: '江南大道 3888 号' };

function listAll(b: ReturnType<typeof demoBuyer>, limit = 4): Order[] {
  const all: Order[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const answer = b.query({ type: 'orders.list', limit, ...(cursor ? { cursor } : {}) });
    if (answer.kind !== 'result') throw new Error(JSON.stringify(answer));
    const parsed = answer.result as { orders: Order[]; nextCursor: string | null };
    expect(Object.keys(parsed).sort()).toEqual(['nextCursor', 'orders']);
    expect(parsed.orders.length).toBeLessThanOrEqual(limit);
    for (const order of parsed.orders) expect(schemaProblem({ order })).toBeNull();
    all.push(...parsed.orders);
    cursor = parsed.nextCursor;
    if (!cursor) break;
  }
  return all;
}

describe('demo seed orders', () => {
  const shop = demoShop(T0);
  const mine = shop.orders.filter((o) => o.buyerId === 'buyer-demo');

  it('gives the demo buyer an order in every status, valid by core\'s schema', () => {
    for (const status of ORDER_STATUSES) expect(mine.some((o) => o.status === status), status).toBe(true);
    expect(mine.filter((o) => o.status === 'awaiting-shipment')).toHaveLength(2);
    for (const order of shop.orders) expect(schemaProblem({ order }), order.id).toBeNull();
  });

  it('has a shipped order with an SF Express timeline of at least four events', () => {
    const shipped = mine.find((o) => o.status === 'shipped')!;
    expect(shipped.shipment?.carrier).toMatch(/顺丰速运/);
    expect(shipped.shipment?.waybillNumber).toMatch(/^SF\d+$/);
    expect(shipped.shipment!.events.length).toBeGreaterThanOrEqual(4);
    for (const e of shipped.shipment!.events) expect(e).toEqual({ at: expect.any(Number), place: expect.any(String), text: expect.any(String) });
  });

  it('exercises the after-sales rules: open and closed windows, insurance, fast refund, excluded categories', () => {
    const recent = mine.find((o) => o.deliveredAt === T0 - 2 * DAY_MS)!;
    const e = eligibility(recent, T0);
    expect(e.noReasonReturn.eligible).toBe(true);
    expect(e.shippingInsurance.covered).toBe(true);
    expect(e.fastRefund.eligible).toBe(true);
    const old = mine.find((o) => o.status === 'delivered' && o.deliveredAt === T0 - 10 * DAY_MS)!;
    expect(eligibility(old, T0).noReasonReturn.reasons).toContainEqual(expect.objectContaining({ code: 'no-reason-window-closed' }));
    expect(mine.some((o) => o.items.some((i) => i.flags?.perishable))).toBe(true);
    expect(mine.some((o) => o.items.some((i) => i.flags?.customMade))).toBe(true);
    expect(mine.every((o) => o.totals.paid.currency === 'CNY')).toBe(true);
  });
});

describe('SupportBackend: orders', () => {
  it('lists the buyer\'s orders newest first, page by page with a cursor, and only theirs', () => {
    const { backend } = makeBackend();
    const all = listAll(demoBuyer(backend));
    expect(all.map((o) => o.id)).toEqual(demoShop(T0).orders.filter((o) => o.buyerId === 'buyer-demo').sort((a, b) => b.createdAt - a.createdAt).map((o) => o.id));
    expect(new Set(all.map((o) => o.buyerId))).toEqual(new Set(['buyer-demo']));
    const others = listAll(otherBuyer(backend));
    expect(others.map((o) => o.id).sort()).toEqual(['XE20001', 'XE20002']);
  });

  it('answers order.get for the buyer\'s own order and not-found for anyone else\'s', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.query({ type: 'order.get', orderId: 'XE10007' })).toMatchObject({ kind: 'result', result: { order: { id: 'XE10007', status: 'shipped' } } });
    expect(me.query({ type: 'order.get', orderId: 'XE20001' })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(me.query({ type: 'order.get', orderId: 'XE99999' })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
  });

  it('changes the address of an order awaiting shipment, then tells the buyer with order.updated and a notice', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.command({ type: 'order.change-address', orderId: 'XE10008', address: NEW_ADDRESS })).toMatchObject({ kind: 'ack' });
    expect(backend.order('XE10008')?.address.region).toBe('浙江省 杭州市 滨江区');
    expect(me.lastOf('order.updated')?.order).toMatchObject({ id: 'XE10008', address: { line1: '江南大道 3888 号' } });
    expect(me.notices().at(-1)?.body).toMatchObject({ ref: { type: 'order', id: 'XE10008' } });
  });

  it('refuses to change the address once the order has shipped, with the reason, and refuses a bad address field by field', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const before = backend.order('XE10007');
    expect(me.command({ type: 'order.change-address', orderId: 'XE10007', address: NEW_ADDRESS })).toMatchObject({
      kind: 'nack',
      error: { code: 'refused', reason: 'already-shipped' },
    });
    expect(backend.order('XE10007')).toBe(before);
    expect(me.command({ type: 'order.change-address', orderId: 'XE10008', address: { ...NEW_ADDRESS, phone: 'call me' } })).toMatchObject({
      kind: 'nack',
      error: { code: 'refused', reason: 'address-invalid', fields: [{ path: 'phone', code: 'invalid-phone' }] },
    });
  });

  it('cancels an order awaiting shipment (refunding what was paid) and refuses to cancel a shipped one', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    expect(me.command({ type: 'order.cancel', orderId: 'XE10009' })).toMatchObject({ kind: 'ack' });
    const cancelled = me.lastOf('order.updated')!.order;
    expect(cancelled).toMatchObject({ status: 'closed', closedAt: T0, refunded: cancelled.totals.paid });
    expect(me.notices().at(-1)?.body.text).toMatch(/Order XE10009 was cancelled/);
    expect(me.command({ type: 'order.cancel', orderId: 'XE10007' })).toMatchObject({ kind: 'nack', error: { code: 'refused', reason: 'already-shipped' } });
  });

  it('never lets a buyer change or cancel another buyer\'s order: not-found, and the order is untouched', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    const theirs = backend.order('XE20002');
    expect(me.command({ type: 'order.cancel', orderId: 'XE20002' })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(me.command({ type: 'order.change-address', orderId: 'XE20002', address: NEW_ADDRESS })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(backend.order('XE20002')).toBe(theirs);
  });

  it('turns an order card into the server\'s card of the buyer\'s own order, and refuses another buyer\'s', () => {
    const { backend } = makeBackend();
    const me = demoBuyer(backend);
    me.command({ type: 'message.send', body: { kind: 'order-card', orderId: 'XE10007' } });
    const card = me.messages().find((m) => m.body.kind === 'order-card');
    expect(card?.body).toMatchObject({ kind: 'order-card', card: { orderId: 'XE10007', status: 'shipped', total: { currency: 'CNY' } } });
    expect(me.messages().at(-1)?.body).toMatchObject({ suggestions: expect.arrayContaining([expect.objectContaining({ action: 'open-orders' })]) });
    expect(me.command({ type: 'message.send', body: { kind: 'order-card', orderId: 'XE20001' } })).toMatchObject({ kind: 'nack', error: { code: 'not-found' } });
    expect(me.messages().filter((m) => m.body.kind === 'order-card')).toHaveLength(1);
  });

  it('lets the desk ship and deliver an order; the buyer is told even while offline, and gets it on resume', () => {
    const { backend, clock } = makeBackend();
    const me = demoBuyer(backend);
    const seen = me.events().at(-1)?.seq ?? 0;
    me.conn.close();
    const desk = connectDesk(backend);
    desk.send({ kind: 'desk.buyer.open', buyerId: 'buyer-demo' });
    expect(desk.last('desk.buyer')?.view.orders.find((o) => o.order.id === 'XE10008')?.actions).toEqual(['ship']);
    clock.advance(60_000);
    desk.send({ kind: 'desk.order.ship', orderId: 'XE10008', carrier: '顺丰速运 SF Express', waybillNumber: 'SF1500000000001' });
    expect(desk.last('desk.done')).toEqual({ kind: 'desk.done', action: 'desk.order.ship', ref: 'XE10008' });
    expect(desk.last('desk.buyer')?.view.orders.find((o) => o.order.id === 'XE10008')?.actions).toEqual(['deliver']);
    desk.send({ kind: 'desk.order.deliver', orderId: 'XE10008' });
    expect(backend.order('XE10008')).toMatchObject({ status: 'delivered', deliveredAt: T0 + 60_000, shipment: { waybillNumber: 'SF1500000000001' } });

    const back = demoBuyer(backend, { conversationId: me.ready.conversationId, afterSeq: seen });
    const updates = back.events().flatMap((f) => (f.event.type === 'order.updated' ? [f.event.order.status] : []));
    expect(updates).toEqual(['shipped', 'delivered']);
    expect(back.notices().map((n) => n.body.ref)).toEqual([{ type: 'order', id: 'XE10008' }, { type: 'order', id: 'XE10008' }]);
    expect(back.notices()[0]?.body.text).toMatch(/SF1500000000001/);
  });

  it('refuses to ship an order that is not awaiting shipment', () => {
    const { backend } = makeBackend();
    const desk = connectDesk(backend);
    desk.send({ kind: 'desk.order.ship', orderId: 'XE10007', carrier: 'SF', waybillNumber: 'SF1' });
    expect(desk.last('desk.error')).toMatchObject({ reason: 'not-awaiting-shipment' });
  });

  it('sends a proactive notice to a buyer who never chatted, in a conversation they find when they come', () => {
    const { backend } = makeBackend();
    connectDesk(backend).send({ kind: 'desk.order.ship', orderId: 'XE20002', carrier: '顺丰速运', waybillNumber: 'SF42' });
    const other = otherBuyer(backend);
    expect(other.lastOf('order.updated')?.order).toMatchObject({ id: 'XE20002', status: 'shipped' });
    expect(other.notices().at(-1)?.body).toMatchObject({ ref: { type: 'order', id: 'XE20002' } });
    // …and the demo buyer saw none of it.
    expect(demoBuyer(backend).events().some((f) => f.event.type === 'order.updated')).toBe(false);
  });

  it('answers the anonymous visitor\'s order card with login-required', () => {
    const anon = connectBuyer(makeBackend().backend);
    expect(anon.command({ type: 'message.send', body: { kind: 'order-card', orderId: 'XE10007' } })).toMatchObject({ kind: 'nack', error: { reason: 'login-required' } });
  });
});
