import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { DAY_MS } from '@xiaoer/core';
import { cny, makeOrder, orderAt } from '../../test-helpers/backend.js';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-after-sales-form',
  component: 'xiaoer-after-sales-form',
  render: (_args, { globals, loaded }) =>
    framed(html`<xiaoer-after-sales-form .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} order-id="o_1"></xiaoer-after-sales-form>`),
};
export default meta;
type Story = StoryObj;

/** Delivered two days ago: the 7-day window is open; the custom-made mug is excluded. */
export const WindowOpen: Story = { loaders: [async () => ({ client: await demoClient({ orders: [makeOrder()] }) })] };
/** Delivered ten days ago, with shipping insurance: no more no-reason returns; the insurance pays return postage. */
export const WindowClosedInsured: Story = {
  loaders: [
    async () => ({
      client: await demoClient({
        orders: [makeOrder({ deliveredAt: Date.now() - 10 * DAY_MS, policy: { ...makeOrder().policy, shippingInsurance: { covered: true, maxPayout: cny(1200) } } })],
      }),
    }),
  ],
};
/** Paid, not shipped: refund only, for "no longer needed". */
export const BeforeShipment: Story = { loaders: [async () => ({ client: await demoClient({ orders: [orderAt('awaiting-shipment')] }) })] };
/** In transit: nothing can be applied for yet, and the form says why. */
export const InTransit: Story = { loaders: [async () => ({ client: await demoClient({ orders: [orderAt('shipped')] }) })] };
