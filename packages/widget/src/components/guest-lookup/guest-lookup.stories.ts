import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';

const meta: Meta = {
  title: 'Views/xiaoer-guest-lookup',
  component: 'xiaoer-guest-lookup',
  render: (_args, { globals, loaded }) => framed(html`<div style="padding:16px"><xiaoer-guest-lookup .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-guest-lookup></div>`),
};
export default meta;
type Story = StoryObj;

/** Any order number; the code 123456 finds it. */
export const LookUp: Story = { loaders: [async () => ({ client: await demoClient({ buyer: null }) })] };

// Over HTTP + SSE, answered by `@xiaoer/adapters/msw` (.storybook/msw.ts).
/** The demo backend's guest flow: order XE10006, "Send code"; the code is logged by the backend. */
export const FromServer: Story = { parameters: msw({}) };
/** The server refuses to send a code (too many requests): enter an order number and "Send code". */
export const CodeRefused: Story = { parameters: msw({ refuse: { 'guest.code.request': { code: 'refused', message: 'refused: rate-limited', retryable: false, reason: 'rate-limited' } } }) };
