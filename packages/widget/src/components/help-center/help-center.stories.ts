import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';

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

// Over HTTP + SSE, answered by `@xiaoer/adapters/msw` (.storybook/msw.ts).
/** The FAQ is on its way. */
export const Loading: Story = { parameters: msw({ hold: ['faq.entries'] }) };
/** The server fails the FAQ (a retryable internal error): the message and Retry. */
export const LoadFailed: Story = { parameters: msw({ refuse: { 'faq.entries': { code: 'internal', message: 'database timeout', retryable: true } } }) };
/** The demo backend's own bilingual FAQ, over the network. */
export const FromServer: Story = { parameters: msw({}) };
