import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html } from 'lit';
import type { FaqEntry, XiaoerClient } from '@xiaoer/core';
import '../../define.js';
import { connect } from '../../test-helpers/backend.js';
import { mount, recordNavigation, unmount } from '../../test-helpers/dom.js';

afterEach(unmount);

const ENTRIES: FaqEntry[] = [
  { id: 'f1', locale: 'en', question: 'Where is my parcel?', answer: 'Open My orders and choose the order to see its tracking.', keywords: ['delivery', 'tracking', 'package'] },
  { id: 'f2', locale: 'en', question: 'How long does a refund take?', answer: 'Refunds reach your account 1–3 working days after approval.', keywords: ['refund', 'money back'] },
  { id: 'f3', locale: 'en', question: 'Can I change my shipping address?', answer: 'Yes, until the order ships.', keywords: ['address'] },
  { id: 'f4', locale: 'zh-CN', question: '我的快递到哪了？', answer: '在“我的订单”中查看物流轨迹。', keywords: ['包裹', '物流'] },
];

const show = (client: XiaoerClient, locale = 'en') => mount(html`<xiaoer-help-center .client=${client} locale=${locale}></xiaoer-help-center>`);
const search = () => page.getByRole('searchbox', { name: 'Search the help center' });
const results = () => page.getByRole('list', { name: 'Answers' });

describe('<xiaoer-help-center>', () => {
  it('loads the FAQ once, searches as the buyer types, and expands an answer', async () => {
    const { backend, client } = await connect({ setup: (b) => b.onQuery('faq.entries', (q) => ({ entries: ENTRIES.filter((e) => e.locale === q.locale) })) });
    await show(client);
    await expect.element(results().getByRole('listitem')).toHaveLength(3); // the common questions
    expect(backend.queries()).toEqual([{ type: 'faq.entries', locale: 'en' }]);

    await userEvent.type(search(), 'parcel');
    await expect.element(page.getByText('1 answer', { exact: true })).toBeVisible();
    await expect.element(results().getByRole('listitem')).toHaveLength(1);
    const answer = page.getByText('Open My orders and choose the order to see its tracking.');
    await expect.element(answer).not.toBeVisible();
    await page.getByText('Where is my parcel?').click();
    await expect.element(answer).toBeVisible();
  });

  it('says honestly when nothing matches, and offers a person', async () => {
    const { client } = await connect({ setup: (b) => b.onQuery('faq.entries', () => ({ entries: ENTRIES })) });
    await show(client);
    await expect.element(results()).toBeVisible();
    await search().fill('quantum chromodynamics lecture notes');
    await expect.element(page.getByText('No matching answer — talk to a person?')).toBeVisible();
    await expect.element(results()).not.toBeInTheDocument();
    const nav = recordNavigation();
    await page.getByRole('button', { name: 'Talk to a person' }).click();
    expect(nav.routes).toEqual([{ view: 'person' }]);
    nav.stop();
  });

  it('keeps working offline once loaded, without asking again', async () => {
    const { backend, client } = await connect({ setup: (b) => b.onQuery('faq.entries', () => ({ entries: ENTRIES })) });
    await show(client, 'zh-CN');
    await expect.element(page.getByRole('list', { name: '搜索结果' })).toBeVisible();
    unmount();
    backend.drop();
    await show(client, 'zh-CN');
    await page.getByRole('searchbox', { name: '搜索帮助中心' }).fill('快递到哪');
    await expect.element(page.getByText('我的快递到哪了？')).toBeVisible();
    expect(backend.queries()).toHaveLength(1);
  });

  it('says when the FAQ cannot load offline, and retries', async () => {
    const { backend, client } = await connect();
    backend.drop();
    await show(client);
    await expect.element(page.getByRole('alert')).toHaveTextContent('You are offline. Try again when the connection is back.');
    backend.onQuery('faq.entries', () => ({ entries: ENTRIES }));
    backend.open();
    backend.receive({ v: 1, kind: 'session.ready', conversationId: 'conv_test', visitorId: 'v', lastSeq: 0, routing: { phase: 'bot' } });
    await expect.element(results()).toBeVisible();
  });
});
