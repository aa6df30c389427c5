import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import { HOUR_MS } from '@xiaoer/core';
import '../../define.js';
import { connect, makeCase } from '../../test-helpers/backend.js';
import { mount, recordNavigation, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

describe('<xiaoer-case-list>', () => {
  it('loads the buyer’s cases, newest first, with their states, and opens one', async () => {
    const older = makeCase([{ type: 'approve' }], { id: 'as_old', openedAt: Date.now() - 30 * HOUR_MS });
    const newer = makeCase([], { id: 'as_new' });
    const { backend, client } = await connect({ setup: (b) => b.onQuery('cases.list', () => ({ cases: [older, newer] })) });
    await mount(html`<xiaoer-case-list .client=${client} locale="en"></xiaoer-case-list>`);
    const list = page.getByRole('list', { name: 'After-sales requests' });
    await expect.element(list.getByRole('listitem')).toHaveLength(2);
    expect(list.getByRole('listitem').elements().map((li) => li.querySelector('button')!.textContent)).toEqual(['Request as_new', 'Request as_old']);
    await expect.element(list.getByRole('listitem').first()).toHaveTextContent('Waiting for the merchant');
    await expect.element(list.getByRole('listitem').last()).toHaveTextContent('Approved — please ship the return');
    expect(backend.queries()).toEqual([{ type: 'cases.list' }]);

    const nav = recordNavigation();
    await page.getByRole('button', { name: 'Request as_old' }).click();
    await page.getByRole('button', { name: 'My orders' }).click();
    expect(nav.routes).toEqual([{ view: 'case', caseId: 'as_old' }, { view: 'orders' }]);
    nav.stop();
  });

  it('asks an anonymous visitor to log in and loads nothing', async () => {
    const { backend, client } = await connect({ buyer: null });
    await mount(html`<xiaoer-case-list .client=${client} locale="zh-CN"></xiaoer-case-list>`);
    await expect.element(page.getByRole('heading', { name: '退换/售后' })).toBeVisible();
    await expect.element(page.getByText('登录后查看订单')).toBeVisible();
    expect(backend.queries()).toEqual([]);
  });

  it('says when there is nothing yet', async () => {
    const { client } = await connect({ setup: (b) => b.onQuery('cases.list', () => ({ cases: [] })) });
    await mount(html`<xiaoer-case-list .client=${client} locale="en"></xiaoer-case-list>`);
    await expect.element(page.getByText('You have no after-sales requests.')).toBeVisible();
  });
});
