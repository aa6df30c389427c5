import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';
import { framed } from '../../test-helpers/stories.js';

// Over the real HTTP + SSE transport, answered by `@xiaoer/adapters/msw` from the demo shop, which
// has an order in every status (.storybook/msw.ts).
const meta: Meta = {
  title: 'Views/xiaoer-order-detail',
  component: 'xiaoer-order-detail',
  render: (args, { globals, loaded }) =>
    framed(html`<xiaoer-order-detail .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} order-id=${args.orderId}></xiaoer-order-detail>`),
  parameters: msw({ buyer: DEMO_BUYER }),
};
export default meta;
type Story = StoryObj;

/** Not paid yet: pay, or cancel. */
export const AwaitingPayment: Story = { args: { orderId: 'XE10010' } };
/** Paid, not shipped: change the address, cancel. */
export const AwaitingShipment: Story = { args: { orderId: 'XE10008' } };
/** On its way: the live SF Express timeline. */
export const Shipped: Story = { args: { orderId: 'XE10007' } };
/** Delivered two days ago: the logistics timeline, after-sales and "Send to chat". */
export const Delivered: Story = { args: { orderId: 'XE10006' } };
export const Completed: Story = { args: { orderId: 'XE10002' } };
/** Cancelled before it shipped, refunded in full. */
export const Closed: Story = { args: { orderId: 'XE10001' } };
/** The server has not answered yet. */
export const Loading: Story = { args: { orderId: 'XE10006' }, parameters: msw({ buyer: DEMO_BUYER, hold: ['order.get'] }) };
/** An order the buyer does not have: the server's "not found". */
export const NotFound: Story = { args: { orderId: 'XE99999' } };
/** The server fails the look-up (a retryable internal error): the message and Retry. */
export const LoadFailed: Story = {
  args: { orderId: 'XE10006' },
  parameters: msw({ buyer: DEMO_BUYER, refuse: { 'order.get': { code: 'internal', message: 'database timeout', retryable: true } } }),
};
/** The server refuses the new address (the parcel left in the meantime): try "Change address". */
export const AddressRefused: Story = {
  args: { orderId: 'XE10008' },
  parameters: msw({ buyer: DEMO_BUYER, refuse: { 'order.change-address': { code: 'refused', message: 'refused: already-shipped', retryable: false, reason: 'already-shipped' } } }),
};
/** No connection before the order ever loaded. */
export const Offline: Story = { tags: ['link-failure'], args: { orderId: 'XE10006' }, parameters: msw({ buyer: DEMO_BUYER, link: 'down' }) };
