import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-leave-message',
  component: 'xiaoer-leave-message',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-leave-message .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-leave-message>`),
};
export default meta;
type Story = StoryObj;

export const OutsideServiceHours: Story = { loaders: [async () => ({ client: await demoClient({ routing: { phase: 'offline', reason: 'closed-hours' } }) })] };
export const NoAgentFree: Story = { loaders: [async () => ({ client: await demoClient({ routing: { phase: 'offline', reason: 'no-agent' } }) })] };
