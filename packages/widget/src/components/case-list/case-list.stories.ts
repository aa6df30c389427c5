import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { DEMO_BUYER, demoBackend, msw } from '../../test-helpers/msw-scenarios.js';
import { framed } from '../../test-helpers/stories.js';

// Over the real HTTP + SSE transport, answered by `@xiaoer/adapters/msw` from the demo shop.
const meta: Meta = {
  title: 'Views/xiaoer-case-list',
  component: 'xiaoer-case-list',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-case-list .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-case-list>`),
  parameters: msw({ buyer: DEMO_BUYER }),
};
export default meta;
type Story = StoryObj;

/** The demo shop's cases: requested, rejected, refunded and closed. */
export const Cases: Story = {};
export const Empty: Story = { parameters: msw({ buyer: DEMO_BUYER, backend: demoBackend({ cases: [] }) }) };
export const Anonymous: Story = { parameters: msw({}) };
export const Loading: Story = { parameters: msw({ buyer: DEMO_BUYER, hold: ['cases.list'] }) };
export const LoadFailed: Story = { parameters: msw({ buyer: DEMO_BUYER, refuse: { 'cases.list': { code: 'internal', message: 'database timeout', retryable: true } } }) };
