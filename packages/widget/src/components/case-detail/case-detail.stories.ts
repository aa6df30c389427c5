import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AfterSalesCase, CaseEvent } from '@xiaoer/core';
import { DEMO_BUYER, demoBackend, demoCase, msw, type MswScenario } from '../../test-helpers/msw-scenarios.js';
import { framed } from '../../test-helpers/stories.js';

// One story per state of the after-sales machine (CASE_STATES in core), each case made through
// core's own `openCase` / `transition` and served by `@xiaoer/adapters/msw` over HTTP + SSE.
const meta: Meta = {
  title: 'Views/xiaoer-case-detail',
  component: 'xiaoer-case-detail',
  render: (args, { globals, loaded }) =>
    framed(html`<xiaoer-case-detail .client=${loaded.client} locale=${globals.locale ?? 'zh-CN'} case-id=${args.caseId}></xiaoer-case-detail>`),
};
export default meta;
type Story = StoryObj;

const shipReturn: CaseEvent = { type: 'ship-return', carrier: '顺丰速运', trackingNumber: 'SF1029384756' };
const shipReplacement: CaseEvent = { type: 'ship-replacement', carrier: '圆通速递', trackingNumber: 'YT55667788' };
const exchange = { type: 'exchange', reason: 'size-exchange', amount: { amount: 0, currency: 'CNY' } } as const;
const refundOnly = { type: 'refund-only' } as const;

/** A story showing one case, made lazily (times relative to when the story renders). */
const story = (make: () => AfterSalesCase, extra: Partial<MswScenario> = {}): Story => {
  const id = 'AS-80001';
  return { args: { caseId: id }, parameters: msw({ buyer: DEMO_BUYER, backend: () => demoBackend({ cases: [make()] })(), ...extra }) };
};
const at = (steps: CaseEvent[], request: Parameters<typeof demoCase>[2] = {}, orderId?: string) => () => demoCase('AS-80001', steps, request, orderId);

/** The merchant has 48 hours to reply; the buyer may withdraw. */
export const Requested = story(at([]));
/** Refund only (paid, not shipped), approved: the refund is on its way. */
export const Approved = story(at([{ type: 'approve' }], refundOnly, 'XE10008'));
/** Rejected: escalate to the platform within 7 days. */
export const Rejected = story(at([{ type: 'reject', reason: '商品已使用，不影响二次销售的情况下才能退货。' }]));
export const Escalated = story(at([{ type: 'reject', reason: '已使用' }, { type: 'escalate' }]));
/** Approved: ship the return (carrier and tracking number) before the deadline. */
export const AwaitingReturn = story(at([{ type: 'approve' }]));
/** The return is on its way (the demo order has fast refund: paid as soon as it shipped). */
export const ReturnShipped = story(at([{ type: 'approve' }, shipReturn]));
/** Exchange: the merchant has the item back. */
export const ReturnReceived = story(at([{ type: 'approve' }, shipReturn, { type: 'receive-return' }], exchange));
/** The merchant received the return: refunded. */
export const Refunded = story(at([{ type: 'approve' }, shipReturn, { type: 'receive-return' }]));
/** Exchange: confirm the replacement arrived. */
export const ReplacementShipped = story(at([{ type: 'approve' }, shipReturn, { type: 'receive-return' }, shipReplacement], exchange));
export const ClosedRefunded = story(at([{ type: 'approve' }, { type: 'refund' }, { type: 'close' }], refundOnly, 'XE10008'));
export const ClosedExchanged = story(at([{ type: 'approve' }, shipReturn, { type: 'receive-return' }, shipReplacement, { type: 'confirm-replacement' }], exchange));
export const ClosedWithdrawn = story(at([{ type: 'withdraw' }]));
/** The buyer did not ship the return in time. */
export const ClosedNotShipped = story(at([{ type: 'approve' }, { type: 'timeout' }]));
/** The platform ruled for the merchant. */
export const ClosedRuledForMerchant = story(at([{ type: 'reject', reason: '已使用' }, { type: 'escalate' }, { type: 'rule', ruling: 'for-merchant' }]));
export const Loading: Story = { ...story(at([])), parameters: msw({ buyer: DEMO_BUYER, hold: ['cases.list'] }) };
/** The server refuses the withdrawal: try "Withdraw". */
export const WithdrawRefused = story(at([]), { refuse: { 'case.act': { code: 'refused', message: 'refused: invalid-transition', retryable: false, reason: 'invalid-transition' } } });
/** A case the buyer does not have. */
export const NotFound: Story = { args: { caseId: 'AS-99999' }, parameters: msw({ buyer: DEMO_BUYER }) };
