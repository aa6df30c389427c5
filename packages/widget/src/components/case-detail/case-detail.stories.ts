import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AfterSalesCase } from '@xiaoer/core';
import { cny, makeCase, makeRequest } from '../../test-helpers/backend.js';
import { demoClient, framed } from '../../test-helpers/stories.js';

const exchange = makeRequest({ type: 'exchange', reason: 'size-exchange', amount: cny(0), photos: [] });
const shipReturn = { type: 'ship-return', carrier: '顺丰速运', trackingNumber: 'SF1029384756' } as const;

const meta: Meta = {
  title: 'Views/xiaoer-case-detail',
  component: 'xiaoer-case-detail',
  render: (_args, { globals, loaded }) =>
    framed(html`<xiaoer-case-detail .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} case-id=${(loaded.case as AfterSalesCase).id}></xiaoer-case-detail>`),
};
export default meta;
type Story = StoryObj;

const story = (make: () => AfterSalesCase): Story => ({
  loaders: [
    async () => {
      const c = make();
      return { case: c, client: await demoClient({ setup: (b) => b.onQuery('cases.list', () => ({ cases: [c] })) }) };
    },
  ],
});

/** The merchant has 48 hours to reply; the buyer may withdraw. */
export const Requested = story(() => makeCase());
/** Approved: ship the return (carrier and tracking number) before the deadline. */
export const AwaitingReturn = story(() => makeCase([{ type: 'approve' }]));
/** Fast refund paid as soon as the return shipped. */
export const ReturnShippedFastRefund = story(() => makeCase([{ type: 'approve' }, shipReturn]));
/** Rejected: escalate to the platform within 7 days. */
export const Rejected = story(() => makeCase([{ type: 'reject', reason: '商品已使用，不影响二次销售的情况下才能退货。' }]));
export const Escalated = story(() => makeCase([{ type: 'reject', reason: '已使用' }, { type: 'escalate' }]));
export const Refunded = story(() => makeCase([{ type: 'approve' }, shipReturn, { type: 'receive-return' }]));
/** Exchange: confirm the replacement arrived. */
export const ReplacementShipped = story(() =>
  makeCase([{ type: 'approve' }, shipReturn, { type: 'receive-return' }, { type: 'ship-replacement', carrier: '圆通速递', trackingNumber: 'YT55667788' }], { request: exchange }),
);
export const Withdrawn = story(() => makeCase([{ type: 'withdraw' }]));
