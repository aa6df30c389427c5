import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { refuse } from '../../test-helpers/backend.js';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-order-detail',
  component: 'xiaoer-order-detail',
  render: (args, { globals, loaded }) =>
    framed(html`<xiaoer-order-detail .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} order-id=${args.orderId}></xiaoer-order-detail>`),
};
export default meta;
type Story = StoryObj;

/** Delivered: the logistics timeline, after-sales and "Send to chat". */
export const Delivered: Story = { args: { orderId: 'o_1002' }, loaders: [async () => ({ client: await demoClient() })] };
/** Not shipped yet: change the address, cancel. */
export const AwaitingShipment: Story = { args: { orderId: 'o_1003' }, loaders: [async () => ({ client: await demoClient() })] };
/** The server refuses the new address: the parcel left in the meantime. */
export const AddressRefused: Story = {
  args: { orderId: 'o_1003' },
  loaders: [async () => ({ client: await demoClient({ setup: (b) => b.onCommand('order.change-address', () => refuse('already-shipped')) }) })],
};
export const InTransit: Story = { args: { orderId: 'o_1001' }, loaders: [async () => ({ client: await demoClient() })] };
export const Closed: Story = { args: { orderId: 'o_0998' }, loaders: [async () => ({ client: await demoClient() })] };
