import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import { formatMoney, type Order, type XiaoerClient } from '@xiaoer/core';
import '../../define.js';
import { connect, cny, makeOrder, orderAt, refuse, type TestBackend } from '../../test-helpers/backend.js';
import { mount, recordNavigation, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

async function showOrder(order: Order, locale = 'en'): Promise<{ backend: TestBackend; client: XiaoerClient }> {
  const { backend, client } = await connect({ setup: (b) => b.onQuery('order.get', () => ({ order })) });
  await mount(html`<xiaoer-order-detail .client=${client} locale=${locale} order-id=${order.id}></xiaoer-order-detail>`);
  await expect.element(page.getByRole('heading', { name: `${locale === 'en' ? 'Order' : '订单'} ${order.id}` })).toBeVisible();
  return { backend, client };
}

const button = (name: string) => page.getByRole('button', { name, exact: true });
const textbox = (name: string) => page.getByRole('textbox', { name, exact: true });

describe('<xiaoer-order-detail>', () => {
  it('loads the order and shows items, totals, the address and the logistics timeline newest first', async () => {
    const base = makeOrder();
    const order = makeOrder({ items: [{ ...base.items[0]!, imageUrl: 'https://cdn.example/tshirt.jpg' }, base.items[1]!] });
    const { backend } = await showOrder(order);
    expect(backend.queries()).toEqual([{ type: 'order.get', orderId: 'o_1' }]);

    const items = page.getByRole('list', { name: 'Items' });
    await expect.element(items.getByRole('listitem')).toHaveLength(2);
    await expect.element(items.getByRole('listitem').first()).toHaveTextContent(`T-shirt Qty 2 · ${formatMoney(cny(9000), 'en')}`);
    // Only the line with an image URL shows one.
    expect(items.element().querySelectorAll('img')).toHaveLength(1);
    const totals = page.getByRole('term').filter({ hasText: 'Paid' });
    await expect.element(totals).toBeVisible();
    expect(totals.element().nextElementSibling?.textContent).toBe(formatMoney(cny(13000), 'en'));
    await expect.element(page.getByText('文三路 100 号', { exact: false })).toBeVisible();

    await expect.element(page.getByText('SF Express')).toBeVisible();
    await expect.element(page.getByText('SF1234567890')).toBeVisible();
    const timeline = page.getByRole('list', { name: 'Logistics timeline' });
    expect(timeline.element().tagName).toBe('OL');
    const rows = timeline.getByRole('listitem').elements().map((li) => li.querySelector('p')!.textContent);
    expect(rows).toEqual(['Delivered', 'In transit', 'Picked up']);
    await expect.element(timeline.getByRole('listitem').first()).toHaveTextContent('Hangzhou');
  });

  it('names the logistics timeline 物流轨迹 in Chinese', async () => {
    await showOrder(makeOrder(), 'zh-CN');
    await expect.element(page.getByRole('list', { name: '物流轨迹' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: '申请售后' })).toBeVisible();
  });

  it('offers only what core rules allow for the status', async () => {
    await showOrder(makeOrder());
    await expect.element(button('Apply for after-sales')).toBeVisible();
    await expect.element(button('Send to chat')).toBeVisible();
    await expect.element(button('Change address')).not.toBeInTheDocument();
    await expect.element(button('Cancel order')).not.toBeInTheDocument();
    unmount();

    await showOrder(orderAt('awaiting-shipment'));
    await expect.element(button('Change address')).toBeVisible();
    await expect.element(button('Cancel order')).toBeVisible();
    await expect.element(button('Apply for after-sales')).toBeVisible(); // refund only, before shipment
    await expect.element(page.getByText('Not shipped yet.')).toBeVisible();
    unmount();

    await showOrder(orderAt('shipped'));
    await expect.element(button('Change address')).not.toBeInTheDocument();
    await expect.element(button('Cancel order')).not.toBeInTheDocument();
    await expect.element(button('Apply for after-sales')).not.toBeInTheDocument(); // in transit
    unmount();

    await showOrder(orderAt('closed'));
    for (const name of ['Change address', 'Cancel order', 'Apply for after-sales']) await expect.element(button(name)).not.toBeInTheDocument();
  });

  it('validates the new address next to each field before sending anything', async () => {
    const { backend } = await showOrder(orderAt('awaiting-shipment'));
    await button('Change address').click();
    for (const label of ['Recipient name', 'Phone number', 'Region (province, city, district)', 'Street address', 'Apartment, suite (optional)', 'Postal code (optional)']) {
      await expect.element(textbox(label)).toBeVisible();
    }
    await expect.element(textbox('Recipient name')).toHaveValue('张三');
    await textbox('Recipient name').fill('   ');
    await textbox('Phone number').fill('call me');
    await textbox('Postal code (optional)').fill('1'.repeat(17));
    await button('Save address').click();

    await expect.element(textbox('Recipient name')).toHaveAttribute('aria-invalid', 'true');
    await expect.element(textbox('Recipient name')).toHaveAccessibleDescription('Required.');
    await expect.element(textbox('Phone number')).toHaveAccessibleDescription('Enter a phone number of 5 to 15 digits.');
    await expect.element(textbox('Postal code (optional)')).toHaveAccessibleDescription('At most 16 characters.');
    await expect.element(textbox('Street address')).toHaveAttribute('aria-invalid', 'false');
    expect(backend.commands()).toHaveLength(0);

    // Typing in a field clears its error.
    await textbox('Recipient name').fill('李四');
    await expect.element(textbox('Recipient name')).toHaveAttribute('aria-invalid', 'false');
  });

  it('sends a valid address, shows the server refusal reason, then the success', async () => {
    let answer: 'refuse' | 'ok' = 'refuse';
    const { backend } = await showOrder(orderAt('awaiting-shipment'));
    backend.onCommand('order.change-address', () => (answer === 'refuse' ? refuse('already-shipped') : {}));
    await button('Change address').click();
    await textbox('Recipient name').fill('  李四 ');
    await textbox('Street address').fill('文二路 200 号');
    await button('Save address').click();
    await expect.element(page.getByRole('alert').filter({ hasText: /./ })).toHaveTextContent('The order has already shipped, so this can no longer be changed.');
    expect(backend.commandsOf('order.change-address')).toEqual([
      {
        type: 'order.change-address',
        orderId: 'o_1',
        address: { name: '李四', phone: '+86 138 0013 8000', region: '浙江省 杭州市 西湖区', line1: '文二路 200 号' },
      },
    ]);

    backend.onCommand('order.change-address', () => refuse('toString'));
    await button('Save address').click();
    await expect.element(page.getByRole('alert').filter({ hasText: /./ })).toHaveTextContent('The shop declined: refused: toString');
    backend.onCommand('order.change-address', () => (answer === 'refuse' ? refuse('already-shipped') : {}));

    answer = 'ok';
    await button('Save address').click();
    await expect.element(page.getByRole('status').filter({ hasText: 'The address is updated.' })).toBeVisible();
    await expect.element(textbox('Recipient name')).not.toBeInTheDocument();
  });

  it('cancels only after a confirmation and an uncancelled xiaoer-request-cancel-order', async () => {
    const { backend } = await showOrder(orderAt('awaiting-shipment'));
    const seen: Event[] = [];
    let veto = true;
    const listener = (e: Event) => {
      seen.push(e);
      if (veto) e.preventDefault();
    };
    document.addEventListener('xiaoer-request-cancel-order', listener);
    try {
      await button('Cancel order').click();
      await expect.element(page.getByText('Cancel this order?')).toBeVisible();
      await expect.element(page.getByText(`The ${formatMoney(cny(13000), 'en')} you paid is refunded to your original payment method.`)).toBeVisible();
      await button('Keep order').click();
      await expect.element(page.getByText('Cancel this order?')).not.toBeInTheDocument();
      expect(seen).toHaveLength(0);

      await button('Cancel order').click();
      await button('Confirm cancellation').click();
      expect(seen).toHaveLength(1);
      expect((seen[0] as CustomEvent).detail).toEqual({ orderId: 'o_1' });
      expect([seen[0]!.cancelable, seen[0]!.bubbles, seen[0]!.composed]).toEqual([true, true, true]);
      await new Promise((r) => setTimeout(r, 30));
      expect(backend.commandsOf('order.cancel')).toHaveLength(0);

      veto = false;
      await button('Cancel order').click();
      await button('Confirm cancellation').click();
      await expect.poll(() => backend.commandsOf('order.cancel')).toEqual([{ type: 'order.cancel', orderId: 'o_1' }]);
      await expect.element(page.getByRole('status').filter({ hasText: 'The order is cancelled.' })).toBeVisible();
    } finally {
      document.removeEventListener('xiaoer-request-cancel-order', listener);
    }
  });

  it('sends the order card into the chat, and opens the after-sales form', async () => {
    const { backend } = await showOrder(makeOrder());
    const nav = recordNavigation();
    await button('Apply for after-sales').click();
    await button('Send to chat').click();
    await expect.poll(() => backend.commandsOf('message.send')).toEqual([{ type: 'message.send', body: { kind: 'order-card', orderId: 'o_1' } }]);
    expect(nav.routes).toEqual([{ view: 'after-sales', orderId: 'o_1' }, { view: 'chat' }]);
    nav.stop();
  });

  it('follows the order as it changes (order.updated): shipped, then the address can no longer change', async () => {
    const { backend } = await showOrder(orderAt('awaiting-shipment'));
    await expect.element(button('Change address')).toBeVisible();
    backend.push({ type: 'order.updated', order: orderAt('shipped') });
    await expect.element(page.getByText('Shipped', { exact: true })).toBeVisible();
    await expect.element(button('Change address')).not.toBeInTheDocument();
    await expect.element(page.getByRole('list', { name: 'Logistics timeline' }).getByRole('listitem')).toHaveLength(2);
  });

  it('retries a failed load by hand, never in a loop', async () => {
    let fail = true;
    const { backend, client } = await connect({
      setup: (b) => b.onQuery('order.get', () => (fail ? { error: { code: 'internal', message: 'down', retryable: true } } : { order: makeOrder() })),
    });
    await mount(html`<xiaoer-order-detail .client=${client} locale="en" order-id="o_1"></xiaoer-order-detail>`);
    await expect.element(page.getByRole('alert')).toHaveTextContent('Something went wrong. Please try again.');
    await new Promise((r) => setTimeout(r, 100));
    expect(backend.queries()).toHaveLength(1);
    fail = false;
    await button('Retry').click();
    await expect.element(page.getByRole('list', { name: 'Logistics timeline' })).toBeVisible();
    expect(backend.queries()).toHaveLength(2);
  });

  it('wraps long unbroken text from the shop instead of widening the view', async () => {
    const base = makeOrder();
    const word = 'W'.repeat(200); // the longest title core accepts
    await showOrder(makeOrder({ items: [{ ...base.items[0]!, title: word }], shipment: { ...base.shipment!, waybillNumber: 'N'.repeat(40) } }));
    const view = document.querySelector('xiaoer-order-detail')!;
    view.style.display = 'block';
    view.style.width = '320px';
    await expect.element(page.getByText(word)).toBeVisible();
    expect(view.scrollWidth).toBeLessThanOrEqual(view.clientWidth);
  });
});
