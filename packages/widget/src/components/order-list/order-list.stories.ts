import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-order-list',
  component: 'xiaoer-order-list',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-order-list .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-order-list>`),
};
export default meta;
type Story = StoryObj;

/** Six orders, one per status, two per page: "Load more" pages through them. */
export const Orders: Story = { loaders: [async () => ({ client: await demoClient() })] };
export const Empty: Story = { loaders: [async () => ({ client: await demoClient({ orders: [] }) })] };
/** Not logged in: the log-in message and the guest look-up (code 123456 finds the order). */
export const Anonymous: Story = { loaders: [async () => ({ client: await demoClient({ buyer: null }) })] };
export const Offline: Story = { loaders: [async () => ({ client: await demoClient({ offline: true }) })] };
