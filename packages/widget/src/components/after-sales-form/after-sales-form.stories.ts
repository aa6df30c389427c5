import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { DAY_MS } from '@xiaoer/core';
import { cny, makeOrder, orderAt } from '../../test-helpers/backend.js';
import { demoClient, framed } from '../../test-helpers/stories.js';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';

const meta: Meta = {
  title: 'Views/xiaoer-after-sales-form',
  component: 'xiaoer-after-sales-form',
  render: (args, { globals, loaded }) =>
    framed(html`<xiaoer-after-sales-form .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} order-id=${args.orderId ?? 'o_1'}></xiaoer-after-sales-form>`),
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

// Over HTTP + SSE, answered by `@xiaoer/adapters/msw` from the demo shop (.storybook/msw.ts).
/** Custom-made: never returnable without a reason, and the form says so. */
export const CustomMadeExcluded: Story = { args: { orderId: 'XE10004' }, parameters: msw({ buyer: DEMO_BUYER }) };
/** A perishable line beside a returnable one, with return-shipping insurance. */
export const PerishableLine: Story = { args: { orderId: 'XE10005' }, parameters: msw({ buyer: DEMO_BUYER }) };
/** The order is still loading. */
export const Loading: Story = { args: { orderId: 'XE10006' }, parameters: msw({ buyer: DEMO_BUYER, hold: ['order.get'] }) };
/** The server refuses the application (the merchant's rule): fill in the form and submit to see it. */
export const SubmitRefused: Story = {
  args: { orderId: 'XE10006' },
  parameters: msw({ buyer: DEMO_BUYER, refuse: { 'case.open': { code: 'refused', message: 'refused: window-closed', retryable: false, reason: 'window-closed' } } }),
};
