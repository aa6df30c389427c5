import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';

const meta: Meta = {
  title: 'Views/xiaoer-help-center',
  component: 'xiaoer-help-center',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-help-center .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'}></xiaoer-help-center>`),
};
export default meta;
type Story = StoryObj;

/** Try 快递到哪, 运费险, "refund" — or something the FAQ does not cover, for the honest miss. */
export const Searchable: Story = { loaders: [async () => ({ client: await demoClient() })] };
/** Offline before the FAQ ever loaded: a message and Retry. */
export const OfflineFirstVisit: Story = { loaders: [async () => ({ client: await demoClient({ offline: true }) })] };
