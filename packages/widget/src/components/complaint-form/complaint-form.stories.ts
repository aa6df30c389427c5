import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';

const meta: Meta = {
  title: 'Views/xiaoer-complaint-form',
  component: 'xiaoer-complaint-form',
  render: (args, { globals, loaded }) =>
    framed(html`<xiaoer-complaint-form .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} order-id=${args.orderId ?? ''}></xiaoer-complaint-form>`),
};
export default meta;
type Story = StoryObj;

export const Blank: Story = { loaders: [async () => ({ client: await demoClient() })] };
export const AboutAnOrder: Story = { args: { orderId: 'o_1002' }, loaders: [async () => ({ client: await demoClient() })] };

// Over HTTP + SSE, answered by `@xiaoer/adapters/msw` (.storybook/msw.ts).
/** The server refuses the complaint: fill in the form and send to see it. */
export const SubmitRefused: Story = { parameters: msw({ buyer: DEMO_BUYER, refuse: { 'complaint.submit': { code: 'refused', message: 'refused: rate-limited', retryable: false, reason: 'rate-limited' } } }) };
