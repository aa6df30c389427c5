// Scrolling up past what the client holds: <xiaoer-chat> loads earlier messages page by page from
// the server (`messages.page`), keeps what the buyer was reading in place, and says when it fails.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html } from 'lit';
import { createMemoryStorage, type Message, type Query } from '@xiaoer/core';
import { CONVERSATION_ID, message } from '@xiaoer/core/test';
import '../../define.js';
import { connect } from '../../test-helpers/backend.js';
import { mount, unmount } from '../../test-helpers/dom.js';
import type { XiaoerChat } from './chat.js';

/** The conversation on the server: messages 1–TOTAL; the client's stored history holds the last HELD. */
const TOTAL = 400;
const HELD = 60;

beforeEach(async () => {
  await page.viewport(1024, 768);
});
afterEach(unmount);

const history = (from: number, to: number): Message[] => Array.from({ length: to - from + 1 }, (_, i) => message(from + i, { body: { kind: 'text', text: `history ${from + i}` } }));

type PageQuery = Extract<Query, { type: 'messages.page' }>;
/** The reference server's answer to a page query: the messages before `beforeSeq`, newest first. */
const pageBefore = ({ beforeSeq, limit = 50 }: PageQuery) => ({ messages: history(Math.max(1, beforeSeq - limit), beforeSeq - 1).reverse() });

/**
 * A chat on a client holding the latest HELD messages, on a scripted server that answers
 * `messages.page` at once — or, with `hold`, when the test calls `reply` on the held query.
 */
async function openChat({ hold = false } = {}) {
  const storage = createMemoryStorage();
  await storage.set('xiaoer:conversation', { conversationId: CONVERSATION_ID, lastSeq: TOTAL, routing: { phase: 'bot' }, messages: history(TOTAL - HELD + 1, TOTAL) });
  const held: { query: PageQuery; reply: (answer: unknown) => void }[] = [];
  const { backend, client } = await connect({
    storage,
    lastSeq: TOTAL,
    setup: (b) => b.onQuery('messages.page', (query) => (hold ? new Promise((reply) => held.push({ query, reply })) : pageBefore(query))),
  });
  const chat = await mount<XiaoerChat>(html`<xiaoer-chat .client=${client}></xiaoer-chat>`);
  await chat.show();
  const log = chat.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
  const pageQueries = () => backend.queries().filter((q) => q.type === 'messages.page');
  return { client, chat, log, held, pageQueries };
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
/** The row of message `seq` ("history 1" is not "history 10"). */
const rowOf = (log: HTMLElement, seq: number) =>
  [...log.querySelectorAll<HTMLElement>('li[part~="message"]')].find((li) => new RegExp(`history ${seq}(?!\\d)`).test(li.textContent ?? ''));
const olderStatus = (chat: XiaoerChat) => chat.shadowRoot!.querySelector<HTMLElement>('[part~="older-status"]');

describe('<xiaoer-chat>: earlier messages', () => {
  it('asks for nothing while the buyer reads the latest messages', async () => {
    const { pageQueries } = await openChat();
    await nextFrame();
    expect(pageQueries()).toHaveLength(0);
  });

  it('loads the page before the first message held when the buyer scrolls to the top, keeping what they read in place', async () => {
    const { log, client, pageQueries } = await openChat();
    const firstHeld = TOTAL - HELD + 1;
    log.scrollTop = 0;
    await expect.poll(() => pageQueries().length).toBeGreaterThan(0);
    expect(pageQueries()[0]).toEqual({ type: 'messages.page', beforeSeq: firstHeld, limit: 50 });
    await expect.poll(() => client.getSnapshot().messages[0]!.seq).toBeLessThan(firstHeld);
    await nextFrame();
    await nextFrame();
    // The message that was at the top is still in view, near the top: the page went above it.
    const kept = rowOf(log, firstHeld);
    expect(kept, 'the first held message is still rendered').toBeDefined();
    const view = log.getBoundingClientRect();
    const at = kept!.getBoundingClientRect();
    expect(at.top).toBeGreaterThanOrEqual(view.top - 1);
    expect(at.top).toBeLessThan(view.top + view.height / 2);
    // … and the earlier one sits right above it.
    const before = rowOf(log, firstHeld - 1);
    expect(before).toBeDefined();
    expect(before!.getBoundingClientRect().bottom).toBeLessThanOrEqual(at.top + 1);
  });

  it('reaches the conversation\'s first message by scrolling up, then asks no more', async () => {
    const { log, client, pageQueries, chat } = await openChat();
    for (let i = 0; i < 40 && !client.getSnapshot().historyStart; i++) {
      log.scrollTop = 0;
      await nextFrame();
      await nextFrame();
    }
    expect(client.getSnapshot().historyStart).toBe(true);
    expect(client.getSnapshot().messages.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    const asked = pageQueries().length;
    expect(asked).toBe(Math.ceil((TOTAL - HELD) / 50) + ((TOTAL - HELD) % 50 === 0 ? 1 : 0));
    log.scrollTop = 0;
    await nextFrame();
    await nextFrame();
    expect(pageQueries()).toHaveLength(asked);
    expect(olderStatus(chat)).toBeNull();
    expect(rowOf(log, 1)).toBeDefined();
  });

  it('says that earlier messages are loading while the page is on its way', async () => {
    const { log, chat, held } = await openChat({ hold: true });
    log.scrollTop = 0;
    await expect.poll(() => held.length).toBe(1);
    await expect.poll(() => olderStatus(chat)?.textContent?.trim()).toBe('Loading earlier messages…');
    expect(olderStatus(chat)!.getAttribute('role')).toBe('status');
    held[0]!.reply(pageBefore(held[0]!.query));
    await expect.poll(() => olderStatus(chat)).toBeNull();
  });

  it('says when earlier messages could not be loaded, and loads them on Try again', async () => {
    const { log, chat, held, client } = await openChat({ hold: true });
    log.scrollTop = 0;
    await expect.poll(() => held.length).toBe(1);
    held[0]!.reply({ error: { code: 'internal', message: 'database unavailable' } });
    await expect.poll(() => olderStatus(chat)?.textContent).toContain('Earlier messages could not be loaded.');
    await nextFrame();
    expect(held).toHaveLength(1); // no retry loop on its own
    const retry = page.elementLocator(chat).getByRole('button', { name: 'Try again' });
    await retry.click();
    await expect.poll(() => held.length).toBe(2);
    held[1]!.reply({ messages: history(TOTAL - HELD - 50 + 1, TOTAL - HELD).reverse() });
    await expect.poll(() => client.getSnapshot().messages.length).toBe(HELD + 50);
  });

  it('shows it in the buyer\'s language', async () => {
    const { chat, held } = await openChat({ hold: true });
    chat.lang = 'zh-CN';
    await expect.poll(() => chat.shadowRoot!.querySelector('[role="log"]')?.getAttribute('aria-label')).toBe('消息');
    chat.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!.scrollTop = 0;
    await expect.poll(() => held.length).toBe(1);
    await expect.poll(() => olderStatus(chat)?.textContent?.trim()).toBe('正在加载更早的消息…');
  });
});
