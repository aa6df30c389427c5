import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import { CASE_STATES, type AfterSalesCase, type CaseState } from '@xiaoer/core';
import '../../define.js';
import { connect, cny, makeCase, makeOrder, makeRequest, refuse } from '../../test-helpers/backend.js';
import { mount, unmount } from '../../test-helpers/dom.js';
import { formatDateTime } from '../../internal/format.js';

afterEach(unmount);

const refundOnly = makeRequest({ type: 'refund-only', reason: 'not-received', lines: [{ lineId: 'L1', quantity: 2 }], amount: cny(9000), photos: [] });
const exchange = makeRequest({ type: 'exchange', reason: 'size-exchange', amount: cny(0), photos: [] });
const shipReturn = { type: 'ship-return', carrier: 'SF Express', trackingNumber: 'SF0001' } as const;

/** One case in every state, each reached through core's transitions. */
const CASES: Record<CaseState, () => AfterSalesCase> = {
  requested: () => makeCase(),
  approved: () => makeCase([{ type: 'approve' }], { request: refundOnly }),
  rejected: () => makeCase([{ type: 'reject', reason: 'The photos show wear.' }]),
  escalated: () => makeCase([{ type: 'reject', reason: 'Worn.' }, { type: 'escalate' }]),
  'awaiting-return': () => makeCase([{ type: 'approve' }]),
  'return-shipped': () => makeCase([{ type: 'approve' }, shipReturn]),
  'return-received': () => makeCase([{ type: 'approve' }, shipReturn, { type: 'receive-return' }], { request: exchange }),
  refunded: () => makeCase([{ type: 'approve' }, shipReturn, { type: 'receive-return' }]),
  'replacement-shipped': () =>
    makeCase([{ type: 'approve' }, shipReturn, { type: 'receive-return' }, { type: 'ship-replacement', carrier: 'YTO', trackingNumber: 'YT9' }], { request: exchange }),
  closed: () => makeCase([{ type: 'withdraw' }]),
};

const LABELS: Record<CaseState, string> = {
  requested: 'Waiting for the merchant',
  approved: 'Approved — refund on its way',
  rejected: 'Rejected by the merchant',
  escalated: 'Platform is reviewing',
  'awaiting-return': 'Approved — please ship the return',
  'return-shipped': 'Return shipped — waiting for the merchant',
  'return-received': 'Return received by the merchant',
  refunded: 'Refunded',
  'replacement-shipped': 'Replacement shipped',
  closed: 'Closed',
};

const ACTIONS = ['Enter return shipment', 'Confirm replacement received', 'Escalate to platform', 'Withdraw request'] as const;
const OFFERED: Record<CaseState, readonly (typeof ACTIONS)[number][]> = {
  requested: ['Withdraw request'],
  approved: ['Withdraw request'],
  rejected: ['Escalate to platform', 'Withdraw request'],
  escalated: [],
  'awaiting-return': ['Enter return shipment', 'Withdraw request'],
  'return-shipped': [],
  'return-received': [],
  refunded: [],
  'replacement-shipped': ['Confirm replacement received'],
  closed: [],
};

async function showCase(c: AfterSalesCase, locale = 'en') {
  const connected = await connect({ setup: (b) => b.onQuery('cases.list', () => ({ cases: [c] })).onQuery('order.get', () => ({ order: makeOrder() })) });
  await mount(html`<xiaoer-case-detail .client=${connected.client} locale=${locale} case-id=${c.id}></xiaoer-case-detail>`);
  await expect.element(page.getByRole('heading', { level: 3 })).toBeVisible();
  return connected;
}

const button = (name: string) => page.getByRole('button', { name, exact: true });

describe('<xiaoer-case-detail>', () => {
  it('labels every state and offers only the moves the case machine accepts from the buyer', async () => {
    for (const state of CASE_STATES) {
      const c = CASES[state]();
      expect(c.state).toBe(state);
      await showCase(c);
      await expect.element(page.getByText(LABELS[state], { exact: true })).toBeVisible();
      for (const action of ACTIONS) {
        if (OFFERED[state].includes(action)) await expect.element(button(action), { timeout: 2000 }).toBeVisible();
        else expect(button(action).query(), `${state}: ${action}`).toBeNull();
      }
      unmount();
    }
  });

  it('shows the running deadline as a date and the time left', async () => {
    const requested = CASES.requested();
    await showCase(requested);
    await expect.element(page.getByText(`The merchant must reply by: ${formatDateTime(requested.deadlines.merchantReplyBy!, 'en')}`)).toBeVisible();
    await expect.element(page.getByText('1 day left')).toBeVisible();
    unmount();

    const awaiting = CASES['awaiting-return']();
    await showCase(awaiting, 'zh-CN');
    await expect.element(page.getByText(`请在此时间前寄回：${formatDateTime(awaiting.deadlines.buyerShipBy!, 'zh-CN')}`)).toBeVisible();
    await expect.element(page.getByText('还剩 6 天')).toBeVisible();
    await expect.element(page.getByText('商家已同意，请寄回商品')).toBeVisible();
  });

  it('lists the timeline newest first, with the refund and the parcel', async () => {
    await showCase(CASES['return-shipped']());
    const timeline = page.getByRole('list', { name: 'Case timeline' });
    expect(timeline.element().tagName).toBe('OL');
    const rows = timeline.getByRole('listitem').elements().map((li) => li.querySelector('p')!.textContent!.split('·')[0]!.trim());
    expect(rows).toEqual(['Fast refund paid', 'You shipped the return', 'The merchant approved', 'You applied']);
    await expect.element(page.getByText(/CN¥45\.00 paid on .* · fast refund/)).toBeVisible();
    await expect.element(page.getByText('SF Express SF0001')).toBeVisible();
  });

  it('loads the case when the client does not know it, and names the timeline 售后进度', async () => {
    const { backend } = await showCase(CASES.rejected(), 'zh-CN');
    await expect.poll(() => backend.queries()).toEqual([{ type: 'cases.list' }, { type: 'order.get', orderId: 'o_1' }]);
    await expect.element(page.getByText('T-shirt × 1')).toBeVisible(); // line titles from the order
    await expect.element(page.getByRole('list', { name: '售后进度' })).toBeVisible();
    await expect.element(page.getByText('商家拒绝理由：The photos show wear.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: '申请平台介入' })).toBeVisible();
  });

  it('validates the return shipment before sending it', async () => {
    const { backend } = await showCase(CASES['awaiting-return']());
    await button('Enter return shipment').click();
    const carrier = page.getByRole('textbox', { name: 'Carrier' });
    const tracking = page.getByRole('textbox', { name: 'Tracking number' });
    await button('Submit shipment').click();
    await expect.element(carrier).toHaveAccessibleDescription('Enter the carrier.');
    await expect.element(tracking).toHaveAccessibleDescription('Enter the tracking number.');
    await tracking.fill('<b>!</b>');
    await carrier.fill('SF Express');
    await button('Submit shipment').click();
    await expect.element(tracking).toHaveAccessibleDescription('Enter the tracking number from your receipt: 4–40 letters, digits or dashes.');
    await expect.element(carrier).toHaveAttribute('aria-invalid', 'false');
    expect(backend.commands()).toHaveLength(0);

    await tracking.fill(' SF 1234 5678 ');
    await button('Submit shipment').click();
    await expect.poll(() => backend.commandsOf('case.act')).toEqual([
      { type: 'case.act', caseId: 'as_1', event: { type: 'ship-return', carrier: 'SF Express', trackingNumber: 'SF12345678' } },
    ]);
    await expect.element(page.getByRole('status').filter({ hasText: 'Your return shipment is recorded.' })).toBeVisible();
  });

  it('withdraws only after a confirmation and an uncancelled xiaoer-request-withdraw-case', async () => {
    const { backend } = await showCase(CASES.requested());
    let veto = true;
    const details: unknown[] = [];
    const listener = (e: Event) => {
      details.push((e as CustomEvent).detail);
      if (veto) e.preventDefault();
    };
    document.addEventListener('xiaoer-request-withdraw-case', listener);
    try {
      await button('Withdraw request').click();
      await expect.element(page.getByText('Withdraw this request? It closes and cannot be reopened.')).toBeVisible();
      await button('Keep request').click();
      await button('Withdraw request').click();
      await button('Confirm withdrawal').click();
      expect(details).toEqual([{ caseId: 'as_1' }]);
      await new Promise((r) => setTimeout(r, 30));
      expect(backend.commandsOf('case.act')).toHaveLength(0);
      await expect.element(button('Withdraw request')).toBeVisible();

      veto = false;
      await button('Withdraw request').click();
      await button('Confirm withdrawal').click();
      await expect.poll(() => backend.commandsOf('case.act')).toEqual([{ type: 'case.act', caseId: 'as_1', event: { type: 'withdraw' } }]);
    } finally {
      document.removeEventListener('xiaoer-request-withdraw-case', listener);
    }
  });

  it('escalates a rejection, confirms a replacement, and shows a refusal', async () => {
    const { backend } = await showCase(CASES.rejected());
    backend.onCommand('case.act', () => refuse('invalid-transition', { code: 'invalid-transition' }));
    await button('Escalate to platform').click();
    await expect.element(page.getByRole('alert').filter({ hasText: /./ })).toHaveTextContent('This step is not possible any more. The page shows the latest state.');
    backend.onCommand('case.act', () => ({}));
    await button('Escalate to platform').click();
    await expect.element(page.getByRole('status').filter({ hasText: 'The platform will review your request.' })).toBeVisible();
    expect(backend.commandsOf('case.act').map((c) => c.event)).toEqual([{ type: 'escalate' }, { type: 'escalate' }]);
    unmount();

    const replacement = await showCase(CASES['replacement-shipped']());
    await button('Confirm replacement received').click();
    await expect.poll(() => replacement.backend.commandsOf('case.act').map((c) => c.event)).toEqual([{ type: 'confirm-replacement' }]);
  });

  it('follows the case as it moves (case.updated)', async () => {
    const { backend } = await showCase(CASES.requested());
    await expect.element(button('Enter return shipment')).not.toBeInTheDocument();
    backend.push({ type: 'case.updated', case: CASES['awaiting-return']() });
    await expect.element(page.getByText('Approved — please ship the return')).toBeVisible();
    await expect.element(button('Enter return shipment')).toBeVisible();
  });
});
