// Accessibility audit: axe-core (WCAG 2.0/2.1 A and AA) on every view in its main states, in
// English and Simplified Chinese, plus the chat panel in the dark theme. axe walks open shadow roots.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html } from 'lit';
import { createMemoryStorage, type Message } from '@xiaoer/core';
import { CONVERSATION_ID, message, messageFrame } from '@xiaoer/core/test';
import './define.js';
import { stringsFor, type XiaoerLocale } from './locales/index.js';
import type { XiaoerChat } from './components/chat/chat.js';
import { connect, makeCase, makeOrder, refuse, type ConnectOptions } from './test-helpers/backend.js';
import { demoOrders, DEMO_FAQ } from './test-helpers/stories.js';
import { audit } from './test-helpers/axe.js';
import { mount, tinyPng, unmount } from './test-helpers/dom.js';

beforeEach(async () => {
  await page.viewport(1024, 768);
});
afterEach(unmount);

const bot = (seq: number, body: Message['body']) => messageFrame(seq, { author: { role: 'bot' }, body });

const LOCALES: XiaoerLocale[] = ['en', 'zh-CN'];

describe.each(LOCALES)('accessibility (%s)', (locale) => {
  const t = stringsFor(locale);
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  async function openChat(options: ConnectOptions = {}, theme?: 'dark') {
    const connected = await connect(options);
    const chat = await mount<XiaoerChat>(html`<xiaoer-chat .client=${connected.client} locale=${locale} theme=${theme ?? 'light'}></xiaoer-chat>`);
    return { ...connected, chat };
  }

  async function botAnswer(backend: Awaited<ReturnType<typeof connect>>['backend']) {
    backend.receive(bot(1, { kind: 'text', text: 'Refunds take 1–3 days.', faqId: 'f2' }));
    backend.receive(
      bot(2, {
        kind: 'text',
        text: 'How can I help? https://shop.example/help',
        suggestions: [
          { label: 'Track my parcel', action: 'send-text', text: 'Where is my parcel?' },
          { label: 'Show my orders', action: 'open-orders' },
          { label: 'A human, please', action: 'handoff' },
        ],
      }),
    );
    backend.receive(messageFrame(3, { author: { role: 'buyer' }, body: { kind: 'text', text: 'Thanks' } }));
    await expect.element(page.getByRole('group', { name: t.media.wasHelpful })).toBeVisible();
  }

  describe('chat', () => {
    it('launcher closed, with unread messages', async () => {
      const { backend, chat } = await openChat();
      backend.receive(bot(1, { kind: 'text', text: 'hello' }));
      await expect.element(page.getByRole('button', { name: t.openChat, exact: true })).toBeVisible();
      await audit(chat, 'chat launcher');
    });

    for (const theme of [undefined, 'dark'] as const) {
      const suffix = theme ? ' (dark)' : '';

      it(`bot phase with an answer, suggestions and feedback${suffix}`, async () => {
        const { backend, chat } = await openChat({}, theme);
        await chat.show();
        await botAnswer(backend);
        await audit(chat, `chat bot phase${suffix}`);
      });

      it(`queued${suffix}`, async () => {
        const { backend, chat } = await openChat({ routing: { phase: 'queued', position: 3, etaSeconds: 150 } }, theme);
        await chat.show();
        backend.receive(bot(1, { kind: 'text', text: 'Finding a person for you.' }));
        await expect.element(button(t.leaveQueue)).toBeVisible();
        await audit(chat, `chat queued${suffix}`);
      });

      it(`agent typing${suffix}`, async () => {
        const { backend, chat } = await openChat({ routing: { phase: 'agent', agent: { id: 'a_1', name: 'Lin Xiao' }, sessionId: 's_1' } }, theme);
        await chat.show();
        backend.receive(messageFrame(1, { author: { role: 'agent', name: 'Lin Xiao' }, body: { kind: 'text', text: 'Hello, I am Lin Xiao.' } }));
        backend.receive({ v: 1, kind: 'signal', conversationId: 'conv_test', signal: { type: 'typing', on: true, by: { role: 'agent', name: 'Lin Xiao' } } });
        await expect.element(page.getByRole('status').filter({ hasText: 'Lin Xiao' })).toBeVisible();
        await audit(chat, `chat agent typing${suffix}`);
      });

      it(`offline banner with a pending and a failed message${suffix}`, async () => {
        const { backend, client, chat } = await openChat({ setup: (b) => b.onCommand('message.send', () => refuse('blocked')) }, theme);
        await chat.show();
        await client.sendText('please refund');
        await expect.element(button(t.resend)).toBeVisible();
        backend.drop();
        await client.sendText('are you there?');
        await expect.element(page.getByRole('status').filter({ hasText: t.bannerOffline })).toBeVisible();
        await audit(chat, `chat offline${suffix}`);
      });

      it(`rating card${suffix}`, async () => {
        const { backend, chat } = await openChat({ routing: { phase: 'agent', agent: { id: 'a_1', name: 'Lin Xiao' }, sessionId: 's_9' } }, theme);
        await chat.show();
        backend.push({ type: 'routing.changed', routing: { phase: 'ended', agent: { id: 'a_1', name: 'Lin Xiao' }, sessionId: 's_9' } });
        await expect.element(page.getByRole('radiogroup')).toBeVisible();
        await page.getByRole('radio').nth(3).click();
        await audit(chat, `chat rating card${suffix}`);
      });

      it(`image viewer open${suffix}`, async () => {
        const { backend, chat } = await openChat({}, theme);
        await chat.show();
        backend.receive(messageFrame(1, { author: { role: 'agent', name: 'Lin Xiao' }, body: { kind: 'image', photoId: 'p_1', url: 'https://cdn.example/p_1.jpg' } }));
        await button(t.media.photo).click();
        await expect.element(page.getByRole('dialog', { name: t.media.viewerLabel })).toBeVisible();
        await audit(chat, `chat image viewer${suffix}`);
      });

      it(`earlier messages that could not be loaded, with Try again${suffix}`, async () => {
        const storage = createMemoryStorage();
        const held = Array.from({ length: 30 }, (_, i) => message(171 + i));
        await storage.set('xiaoer:conversation', { conversationId: CONVERSATION_ID, lastSeq: 200, routing: { phase: 'bot' }, messages: held });
        const { chat } = await openChat({ storage, lastSeq: 200, setup: (b) => b.onQuery('messages.page', () => refuse('unavailable')) }, theme);
        await chat.show();
        chat.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!.scrollTop = 0;
        await expect.element(button(t.olderRetry)).toBeVisible();
        await audit(chat, `chat earlier messages failed${suffix}`);
      });

      it(`composer with photos waiting and the emoji picker open${suffix}`, async () => {
        const { chat } = await openChat({}, theme);
        await chat.show();
        await userEvent.upload(page.elementLocator(chat.shadowRoot!.querySelector('.photo-input')!), [await tinyPng('a.png'), await tinyPng('b.png')]);
        await expect.element(page.getByRole('list', { name: t.media.pendingPhotos }).getByRole('img')).toHaveLength(2);
        await button(t.media.emoji).click();
        await expect.element(page.getByRole('group', { name: t.media.emojiPicker })).toBeVisible();
        await audit(chat, `chat composer with photos and emoji${suffix}`);
      });
    }
  });

  describe('views', () => {
    it('order list', async () => {
      const orders = demoOrders();
      const { client } = await connect({ setup: (b) => b.onQuery('orders.list', () => ({ orders, nextCursor: 'more' })) });
      const el = await mount(html`<xiaoer-order-list .client=${client} locale=${locale}></xiaoer-order-list>`);
      await expect.element(page.getByRole('button', { name: /o_1002/ })).toBeVisible();
      await audit(el, 'order list');
    });

    it('order detail with the logistics timeline', async () => {
      const order = makeOrder();
      const { client } = await connect({ setup: (b) => b.onQuery('order.get', () => ({ order })) });
      const el = await mount(html`<xiaoer-order-detail .client=${client} locale=${locale} order-id=${order.id}></xiaoer-order-detail>`);
      await expect.element(page.getByRole('list', { name: t.orders.timelineLabel })).toBeVisible();
      await audit(el, 'order detail');
    });

    it('change-address form with field errors', async () => {
      const order = demoOrders()[0]!; // awaiting shipment
      const { client } = await connect({ setup: (b) => b.onQuery('order.get', () => ({ order })) });
      const el = await mount(html`<xiaoer-order-detail .client=${client} locale=${locale} order-id=${order.id}></xiaoer-order-detail>`);
      await button(t.orders.changeAddress).click();
      await page.getByRole('textbox', { name: t.address.name, exact: true }).fill('   ');
      await page.getByRole('textbox', { name: t.address.phone, exact: true }).fill('call me');
      await button(t.address.save).click();
      await expect.element(page.getByRole('textbox', { name: t.address.phone, exact: true })).toHaveAttribute('aria-invalid', 'true');
      await audit(el, 'change-address form');
    });

    it('after-sales form with eligibility and a photo slot', async () => {
      const order = makeOrder();
      const { client } = await connect({ setup: (b) => b.onQuery('order.get', () => ({ order })) });
      await client.loadOrder(order.id);
      const el = await mount(html`<xiaoer-after-sales-form .client=${client} locale=${locale} order-id=${order.id}></xiaoer-after-sales-form>`);
      await expect.element(page.getByRole('region', { name: t.afterSales.eligibilityHeading })).toBeVisible();
      await page.getByRole('radio', { name: t.afterSales.types['return-and-refund'], exact: true }).click();
      await page.getByRole('combobox').first().selectOptions('damaged');
            await expect.element(page.getByLabelText(t.afterSales.addPhotoTo(t.afterSales.slots['defect-close-up']), { exact: true })).toBeInTheDocument();
      await audit(el, 'after-sales form');
      await button(t.afterSales.submit).click(); // missing photos: errors next to the slots
      await audit(el, 'after-sales form with errors');
    });

    it('case detail with its timeline and actions', async () => {
      const c = makeCase([{ type: 'approve' }]);
      const { client } = await connect({ setup: (b) => b.onQuery('cases.list', () => ({ cases: [c] })).onQuery('order.get', () => ({ order: makeOrder() })) });
      const el = await mount(html`<xiaoer-case-detail .client=${client} locale=${locale} case-id=${c.id}></xiaoer-case-detail>`);
      await expect.element(page.getByRole('heading', { level: 3 })).toBeVisible();
      await expect.element(page.getByRole('list', { name: t.cases.timelineLabel })).toBeVisible();
      await expect.element(button(t.cases.shipReturn)).toBeVisible();
      await expect.element(button(t.cases.withdraw)).toBeVisible();
      await audit(el, 'case detail');
      await button(t.cases.shipReturn).click();
      await button(t.cases.submitShipment).click();
      await expect.element(page.getByRole('textbox', { name: t.cases.trackingNumber })).toHaveAttribute('aria-invalid', 'true');
      await audit(el, 'case detail, return-shipment form with errors');
    });

    it('case list', async () => {
      const cases = [makeCase([], { id: 'as_301' }), makeCase([{ type: 'approve' }], { id: 'as_300', openedAt: Date.now() - 26 * 3_600_000 })];
      const { client } = await connect({ setup: (b) => b.onQuery('cases.list', () => ({ cases })) });
      const el = await mount(html`<xiaoer-case-list .client=${client} locale=${locale}></xiaoer-case-list>`);
      await expect.element(page.getByRole('listitem').first()).toBeVisible();
      await audit(el, 'case list');
    });

    it('help center with results, and with an honest miss', async () => {
      const { client } = await connect({ setup: (b) => b.onQuery('faq.entries', () => ({ entries: DEMO_FAQ })) });
      const el = await mount(html`<xiaoer-help-center .client=${client} locale=${locale}></xiaoer-help-center>`);
      const search = page.getByRole('searchbox', { name: t.help.searchLabel });
      await expect.element(page.getByRole('list', { name: t.help.resultsLabel })).toBeVisible();
      await userEvent.type(search, locale === 'en' ? 'refund' : '退款');
      await expect.element(page.getByRole('list', { name: t.help.resultsLabel })).toBeVisible();
      await page.getByRole('list', { name: t.help.resultsLabel }).getByRole('listitem').first().click();
      await audit(el, 'help center results');
      await search.fill('quantum chromodynamics 量子色动力学');
      await expect.element(page.getByText(t.help.noMatch)).toBeVisible();
      await audit(el, 'help center miss');
    });

    it('leave-a-message form with errors', async () => {
      const { client } = await connect({ routing: { phase: 'offline', reason: 'closed-hours' } });
      const el = await mount(html`<xiaoer-leave-message .client=${client} locale=${locale}></xiaoer-leave-message>`);
      await button(t.leave.send).click();
      await expect.element(page.getByRole('textbox', { name: t.leave.contact })).toHaveAttribute('aria-invalid', 'true');
      await audit(el, 'leave-a-message form');
    });

    it('complaint form with errors', async () => {
      const { client } = await connect();
      const el = await mount(html`<xiaoer-complaint-form .client=${client} locale=${locale} order-id="o_1"></xiaoer-complaint-form>`);
      await audit(el, 'complaint form');
      await button(t.complaint.send).click();
      await expect.element(page.getByRole('textbox', { name: t.complaint.text })).toHaveAttribute('aria-invalid', 'true');
      await audit(el, 'complaint form with errors');
    });

    it('guest look-up', async () => {
      const { client } = await connect({
        buyer: null,
        setup: (b) => b.onQuery('guest.order', () => refuse('code-invalid', { code: 'not-found' })),
      });
      const el = await mount(html`<xiaoer-guest-lookup .client=${client} locale=${locale}></xiaoer-guest-lookup>`);
      await button(t.guest.sendCode).click();
      await audit(el, 'guest look-up, missing order number');
      await page.getByRole('textbox', { name: t.guest.orderNumber }).fill('o_guest');
      await button(t.guest.sendCode).click();
      await expect.element(page.getByRole('textbox', { name: t.guest.code })).toBeVisible();
      await page.getByRole('textbox', { name: t.guest.code }).fill('000000');
      await button(t.guest.lookUp).click();
      await expect.element(page.getByRole('alert')).toBeVisible();
      await audit(el, 'guest look-up, code step with an error');
    });
  });
});
