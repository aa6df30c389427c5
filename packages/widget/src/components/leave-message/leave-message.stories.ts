import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';

const meta: Meta = {
  title: 'Views/xiaoer-leave-message',
  component: 'xiaoer-leave-message',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-leave-message .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-leave-message>`),
};
export default meta;
type Story = StoryObj;

export const OutsideServiceHours: Story = { loaders: [async () => ({ client: await demoClient({ routing: { phase: 'offline', reason: 'closed-hours' } }) })] };
export const NoAgentFree: Story = { loaders: [async () => ({ client: await demoClient({ routing: { phase: 'offline', reason: 'no-agent' } }) })] };

// Over HTTP + SSE, answered by `@xiaoer/adapters/msw` (.storybook/msw.ts).
/** The server refuses the message (rate limit): fill in the form and send to see it. */
export const SubmitRefused: Story = { parameters: msw({ buyer: DEMO_BUYER, refuse: { 'message.leave': { code: 'refused', message: 'refused: rate-limited', retryable: false, reason: 'rate-limited' } } }) };
