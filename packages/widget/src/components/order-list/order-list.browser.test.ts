import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import { ORDER_STATUSES, formatMoney, type Order, type XiaoerClient } from '@xiaoer/core';
import '../../define.js';
import { connect, cny, makeOrder, orderAt, refuse } from '../../test-helpers/backend.js';
import { mount, recordNavigation, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

const show = (client: XiaoerClient, locale = 'en') => mount(html`<xiaoer-order-list .client=${client} locale=${locale}></xiaoer-order-list>`);
const orders = () => page.getByRole('list', { name: 'Orders' });
const order = (n: number) => makeOrder({ id: `o_${n}`, totals: { goods: cny(n * 1000), shipping: cny(0), discount: cny(0), paid: cny(n * 1000) } });

describe('<xiaoer-order-list>', () => {
  it('loads the first page, then the next with "Load more", until there is no cursor', async () => {
    const { backend, client } = await connect({
      setup: (b) =>
        b.onQuery('orders.list', (q) => (q.cursor === 'page-2' ? { orders: [order(3)], nextCursor: null } : { orders: [order(1), order(2)], nextCursor: 'page-2' })),
    });
    await show(client);
    await expect.element(orders().getByRole('listitem')).toHaveLength(2);
    await expect.element(page.getByRole('button', { name: 'Order o_1', exact: true })).toBeVisible();
    await expect.element(page.getByText(formatMoney(cny(2000), 'en'))).toBeVisible();

    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.element(orders().getByRole('listitem')).toHaveLength(3);
    await expect.element(page.getByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(backend.queries()).toEqual([
      { type: 'orders.list', limit: 20 },
      { type: 'orders.list', cursor: 'page-2', limit: 20 },
    ]);
  });

  it('labels every status, formats totals in the locale, and names each order with its summary', async () => {
    const list: Order[] = ORDER_STATUSES.map((status, i) => orderAt(status, { id: `o_${status}`, createdAt: Date.now() - (10 - i) * 86_400_000 }));
    const { client } = await connect({ setup: (b) => b.onQuery('orders.list', () => ({ orders: list, nextCursor: null })) });
    await show(client);
    const labels = ['Awaiting payment', 'Awaiting shipment', 'Shipped', 'Delivered', 'Completed', 'Closed'];
    for (const [i, status] of ORDER_STATUSES.entries()) {
      const row = orders().getByRole('listitem').filter({ has: page.getByRole('button', { name: `Order o_${status}`, exact: true }) });
      await expect.element(row).toHaveTextContent(labels[i]!);
    }
    await expect.element(page.getByRole('button', { name: 'Order o_delivered' })).toHaveAccessibleDescription(
      `T-shirt and 1 more · 3 items · ${formatMoney(cny(13000), 'en')}`,
    );
  });

  it('speaks Chinese: 待付款 … 已关闭 and ¥ amounts', async () => {
    const list = ORDER_STATUSES.map((status) => orderAt(status, { id: `o_${status}` }));
    const { client } = await connect({ setup: (b) => b.onQuery('orders.list', () => ({ orders: list, nextCursor: null })) });
    await show(client, 'zh-CN');
    for (const label of ['待付款', '待发货', '已发货', '已签收', '已完成', '已关闭']) {
      await expect.element(page.getByRole('list', { name: '订单列表' }).getByText(label, { exact: true })).toBeVisible();
    }
    await expect.element(page.getByRole('heading', { name: '我的订单' })).toBeVisible();
    await expect.element(page.getByText(formatMoney(cny(13000), 'zh-CN')).first()).toBeVisible();
  });

  it('says so when offline and retries, by hand or when the connection is back', async () => {
    let fail = true;
    const { backend, client } = await connect({
      setup: (b) => b.onQuery('orders.list', () => (fail ? { error: { code: 'internal', message: 'boom', retryable: true } } : { orders: [order(1)], nextCursor: null })),
    });
    await show(client);
    await expect.element(page.getByRole('alert')).toHaveTextContent('Something went wrong. Please try again.');
    fail = false;
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.element(orders().getByRole('listitem')).toHaveLength(1);

    // A fresh client whose link drops while the first page is asked for.
    const offline = await connect({ setup: (b) => b.onQuery('orders.list', () => 'hold') });
    await show(offline.client);
    await expect.element(page.getByRole('status')).toHaveTextContent('Loading…');
    offline.backend.drop();
    await expect.element(page.getByRole('alert')).toHaveTextContent('You are offline. Try again when the connection is back.');
    await expect.element(page.getByRole('button', { name: 'Retry' })).toBeVisible();
    offline.backend.onQuery('orders.list', () => ({ orders: [order(7)], nextCursor: null }));
    offline.backend.open();
    offline.backend.receive({ v: 1, kind: 'session.ready', conversationId: 'conv_test', visitorId: 'v', lastSeq: 0, routing: { phase: 'bot' }, buyer: { id: 'b_1' } });
    await expect.element(page.getByRole('button', { name: 'Order o_7' })).toBeVisible();
    expect(backend.queries()).toHaveLength(2);
  });

  it('asks an anonymous visitor to log in, and looks an order up by number and code', async () => {
    const guestOrder = makeOrder({ id: 'o_guest' });
    const { backend, client } = await connect({
      buyer: null,
      setup: (b) => b.onQuery('guest.order', (q) => (q.code === '123456' ? { order: guestOrder } : refuse('code-invalid', { code: 'not-found' }))),
    });
    const nav = recordNavigation();
    await show(client);
    await expect.element(page.getByText('Log in to see your orders')).toBeVisible();
    expect(backend.queries()).toEqual([]);

    await page.getByRole('button', { name: 'Send code' }).click();
    await expect.element(page.getByRole('textbox', { name: 'Order number' })).toHaveAccessibleDescription('Enter the order number.');
    await page.getByRole('textbox', { name: 'Order number' }).fill('o_guest');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect.poll(() => backend.commandsOf('guest.code.request')).toEqual([{ type: 'guest.code.request', orderId: 'o_guest' }]);

    const code = page.getByRole('textbox', { name: '6-digit code' });
    await code.fill('12a');
    await page.getByRole('button', { name: 'Look up order' }).click();
    await expect.element(code).toHaveAttribute('aria-invalid', 'true');
    await expect.element(code).toHaveAccessibleDescription('Enter the 6 digits of the code.');

    await code.fill('000000');
    await page.getByRole('button', { name: 'Look up order' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('The code is wrong. Check it and try again.');

    await code.fill('123456');
    await page.getByRole('button', { name: 'Look up order' }).click();
    await expect.poll(() => nav.routes).toEqual([{ view: 'order', orderId: 'o_guest' }]);
    expect(client.getSnapshot().orders.o_guest?.id).toBe('o_guest');
    nav.stop();
  });
});
