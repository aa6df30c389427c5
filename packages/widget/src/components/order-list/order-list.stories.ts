import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { DEMO_BUYER, demoBackend, msw } from '../../test-helpers/msw-scenarios.js';
import { framed } from '../../test-helpers/stories.js';

// Over the real HTTP + SSE transport, answered by `@xiaoer/adapters/msw` from the demo shop.
const meta: Meta = {
  title: 'Views/xiaoer-order-list',
  component: 'xiaoer-order-list',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-order-list .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-order-list>`),
  parameters: msw({ buyer: DEMO_BUYER }),
};
export default meta;
type Story = StoryObj;

/** The demo shop's orders, one of every status, paged by the server: "Load more". */
export const Orders: Story = {};
export const Empty: Story = { parameters: msw({ buyer: DEMO_BUYER, backend: demoBackend({ orders: 'none' }) }) };
/** Not logged in: the log-in message and the guest look-up. */
export const Anonymous: Story = { parameters: msw({}) };
export const Loading: Story = { parameters: msw({ buyer: DEMO_BUYER, hold: ['orders.list'] }) };
/** The server fails the list (a retryable internal error): the message and Retry. */
export const LoadFailed: Story = { parameters: msw({ buyer: DEMO_BUYER, refuse: { 'orders.list': { code: 'internal', message: 'database timeout', retryable: true } } }) };
export const Offline: Story = { tags: ['link-failure'], parameters: msw({ buyer: DEMO_BUYER, link: 'down' }) };
