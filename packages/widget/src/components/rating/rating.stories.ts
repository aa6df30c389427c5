import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoClient, framed } from '../../test-helpers/stories.js';
import { DEMO_BUYER, msw } from '../../test-helpers/msw-scenarios.js';

const meta: Meta = {
  title: 'Views/xiaoer-rating',
  component: 'xiaoer-rating',
  render: (_args, { globals, loaded }) => framed(html`<xiaoer-rating .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} session-id="s_1"></xiaoer-rating>`),
};
export default meta;
type Story = StoryObj;

/** The agent session ended: stars (arrow keys move between them), tags, comment. */
export const SessionEnded: Story = {
  loaders: [async () => ({ client: await demoClient({ routing: { phase: 'ended', agent: { id: 'a1', name: 'Lin Xiao' }, sessionId: 's_1' } }) })],
};
export const AlreadyRated: Story = { loaders: [async () => ({ client: await demoClient({ routing: { phase: 'rated', sessionId: 's_1' } }) })] };

// Over HTTP + SSE, answered by `@xiaoer/adapters/msw` (.storybook/msw.ts).
/** The server refuses the rating (the session was already rated elsewhere): choose stars and send. */
export const SubmitRefused: Story = { parameters: msw({ buyer: DEMO_BUYER, refuse: { 'rating.submit': { code: 'refused', message: 'refused: already-rated', retryable: false, reason: 'already-rated' } } }) };
