import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-guest-lookup',
  component: 'xiaoer-guest-lookup',
  render: (_args, { globals, loaded }) => framed(html`<div style="padding:16px"><xiaoer-guest-lookup .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-guest-lookup></div>`),
};
export default meta;
type Story = StoryObj;

/** Any order number; the code 123456 finds it. */
export const LookUp: Story = { loaders: [async () => ({ client: await demoClient({ buyer: null }) })] };
