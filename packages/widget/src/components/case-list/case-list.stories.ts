import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-case-list',
  component: 'xiaoer-case-list',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-case-list .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-case-list>`),
};
export default meta;
type Story = StoryObj;

export const Cases: Story = { loaders: [async () => ({ client: await demoClient() })] };
export const Empty: Story = { loaders: [async () => ({ client: await demoClient({ setup: (b) => b.onQuery('cases.list', () => ({ cases: [] })) }) })] };
export const Anonymous: Story = { loaders: [async () => ({ client: await demoClient({ buyer: null }) })] };
