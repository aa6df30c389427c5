// Storybook support (not part of the package's API): clients in a given state, fed by TestBackend.
import { html, type TemplateResult } from 'lit';
import type { FaqEntry, Order, XiaoerClient } from '@xiaoer/core';
import { connect, cny, makeCase, makeOrder, orderAt, type ConnectOptions, type TestBackend } from './backend.js';

/** A demo shop's data: a few orders (one per stage), cases in several states, an FAQ. */
export function demoOrders(): Order[] {
  return [
    orderAt('awaiting-shipment', { id: 'o_1003', createdAt: Date.now() - 3_600_000 }),
    makeOrder({ id: 'o_1002' }),
    orderAt('shipped', { id: 'o_1001' }),
    orderAt('awaiting-payment', { id: 'o_1000', items: [{ lineId: 'L9', title: '手冲咖啡壶 600ml', sku: 'KETTLE', quantity: 1, unitPrice: cny(15900), paid: cny(15900), flags: {} }] }),
    orderAt('completed', { id: 'o_0999' }),
    orderAt('closed', { id: 'o_0998' }),
  ];
}

export const DEMO_FAQ: FaqEntry[] = [
  { id: 'f1', locale: 'zh-CN', question: '我的快递到哪了？', answer: '打开“我的订单”，选择订单即可查看物流轨迹。', keywords: ['包裹', '物流', '催发货'] },
  { id: 'f2', locale: 'zh-CN', question: '退款多久到账？', answer: '商家同意后 1–3 个工作日原路退回；符合极速退款条件的订单寄出退货后立即退款。', keywords: ['仅退款', '退钱'] },
  { id: 'f3', locale: 'zh-CN', question: '可以修改收货地址吗？', answer: '订单发货前可以在订单详情中修改地址。', keywords: ['改地址'] },
  { id: 'f4', locale: 'zh-CN', question: '什么是运费险？', answer: '投保运费险的订单退货时，退货运费由保险赔付。', keywords: ['运费险', '退货运费'] },
  { id: 'f5', locale: 'en', question: 'Where is my parcel?', answer: 'Open My orders and choose the order to see its tracking.', keywords: ['delivery', 'tracking'] },
  { id: 'f6', locale: 'en', question: 'How long does a refund take?', answer: 'Refunds reach your account 1–3 working days after approval.', keywords: ['refund'] },
  { id: 'f7', locale: 'en', question: 'Can I change my shipping address?', answer: 'Yes, until the order ships: open the order and choose Change address.', keywords: ['address'] },
];

/** A client on a backend that answers every query from the demo data (orders paged two at a time). */
export async function demoClient(options: ConnectOptions & { orders?: Order[]; offline?: boolean; script?: (backend: TestBackend) => void } = {}): Promise<XiaoerClient> {
  const orders = options.orders ?? demoOrders();
  const cases = [makeCase([], { id: 'as_301' }), makeCase([{ type: 'approve' }], { id: 'as_300', openedAt: Date.now() - 26 * 3_600_000 })];
  const { backend, client } = await connect({
    ...options,
    setup: (b) => {
      b.onQuery('orders.list', (q) => {
        const start = q.cursor ? Number(q.cursor) : 0;
        const next = start + 2;
        return { orders: orders.slice(start, next), nextCursor: next < orders.length ? String(next) : null };
      })
        .onQuery('order.get', (q) => {
          const order = orders.find((o) => o.id === q.orderId);
          return order ? { order } : { error: { code: 'not-found', message: 'no such order' } };
        })
        .onQuery('cases.list', () => ({ cases }))
        .onQuery('faq.entries', () => ({ entries: DEMO_FAQ }))
        .onQuery('guest.order', (q) => (q.code === '123456' ? { order: makeOrder({ id: q.orderId }) } : { error: { code: 'not-found', message: 'wrong code', reason: 'code-invalid' } }));
      options.setup?.(b);
    },
  });
  options.script?.(backend);
  if (options.offline) backend.drop();
  return client;
}

/** How every view story renders: the view inside a panel-sized frame. */
export function framed(content: TemplateResult): TemplateResult {
  return html`<div style="max-width:380px;margin:16px auto;border:1px solid #d4d4d8;border-radius:12px;overflow:hidden;font-family:system-ui">${content}</div>`;
}
