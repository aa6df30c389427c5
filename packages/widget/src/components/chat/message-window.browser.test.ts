// The windowed message list inside <xiaoer-chat>, with a conversation of 10,000 messages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html, render } from 'lit';
import { createClient, createMemoryStorage, type Message } from '@xiaoer/core';
import { CONVERSATION_ID, MockTransport, message, messageFrame, readyFrame } from '@xiaoer/core/test';
import '../../define.js';
import type { XiaoerChat } from './chat.js';

const COUNT = 10_000;
/** Rows in the DOM, whatever the conversation's length: the view and an overscan. */
const MAX_ROWS = 100;

let container: HTMLElement;

beforeEach(async () => {
  await page.viewport(1024, 768);
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
});

/** Rows of varied height: one-liners, paragraphs and the buyer's own, so estimates are wrong. */
function history(count: number): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = i + 1;
    const text = seq % 7 === 0 ? `history ${seq} ${'a longer answer that wraps over several lines '.repeat(4)}` : `history ${seq}`;
    return message(seq, seq % 3 === 0 ? { author: { role: 'buyer' }, body: { kind: 'text', text } } : { body: { kind: 'text', text } });
  });
}

/** An online client whose stored history (read at start) holds `count` messages. */
async function clientWithHistory(count = COUNT) {
  const storage = createMemoryStorage();
  await storage.set('xiaoer:conversation', { conversationId: CONVERSATION_ID, lastSeq: count, routing: { phase: 'bot' }, messages: history(count) });
  const transport = new MockTransport();
  const client = createClient({ transport, storage });
  await client.start();
  transport.open();
  transport.receive(readyFrame({ lastSeq: count }));
  return { transport, client };
}

async function openChat(count = COUNT) {
  const { transport, client } = await clientWithHistory(count);
  render(html`<xiaoer-chat .client=${client}></xiaoer-chat>`, container);
  const chat = container.querySelector('xiaoer-chat') as XiaoerChat;
  await chat.show();
  const log = chat.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
  return { transport, client, chat, log };
}

const rows = (log: HTMLElement) => log.querySelectorAll<HTMLElement>('li[part~="message"]');
/** The row whose text has `text` not followed by a digit ("history 1" is not "history 10"). */
const row = (text: string) => page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: new RegExp(`${text}(?!\\d)`) });
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** Scrolls the log to `top` as a reader would (a scroll event), and waits for the window to follow. */
async function scrollLogTo(log: HTMLElement, top: number) {
  log.scrollTop = top;
  await nextFrame();
  await nextFrame();
}

function where(log: HTMLElement): string {
  const view = log.getBoundingClientRect();
  const shown = [...rows(log)];
  const a = shown[0]?.getBoundingClientRect();
  const b = shown.at(-1)?.getBoundingClientRect();
  return `view ${view.top}–${view.bottom}, ${shown.length} rows ${shown[0]?.getAttribute('aria-posinset')}@${a?.top}–${shown.at(-1)?.getAttribute('aria-posinset')}@${b?.bottom}, scrollTop ${log.scrollTop}/${log.scrollHeight}`;
}

/** Whether rendered rows cover the whole visible part of the log (no blank gap from a spacer). */
function coversView(log: HTMLElement): boolean {
  const view = log.getBoundingClientRect();
  const shown = [...rows(log)].map((r) => r.getBoundingClientRect());
  if (shown.length === 0) return false;
  const top = Math.min(...shown.map((r) => r.top));
  const bottom = Math.max(...shown.map((r) => r.bottom));
  // The padding above the first row and below the last one counts as covered.
  // Padding above the first row; padding and the row's margin below the last.
  return top <= view.top + 13 && bottom >= view.bottom - 17;
}

describe('<xiaoer-chat> message window (10,000 messages)', () => {
  it('opens on the last message with a bounded number of rows in the DOM, each with its position in the whole list', async () => {
    const { log } = await openChat();
    await expect.element(row('history 10000')).toBeInViewport();
    const shown = rows(log);
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.length).toBeLessThan(MAX_ROWS);
    const last = shown[shown.length - 1]!;
    expect(last.getAttribute('aria-posinset')).toBe(String(COUNT));
    expect(last.getAttribute('aria-setsize')).toBe(String(COUNT));
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeLessThan(2);
  });

  it('scrolls end to end: the first message at the top, the view covered by rows at every step', async () => {
    const { log } = await openChat();
    await expect.element(row('history 10000')).toBeInViewport();
    // Upwards in 25 jumps of 4 % of the height (as a dragged scrollbar would), checking each stop.
    for (let step = 1; step <= 25; step++) {
      await scrollLogTo(log, log.scrollTop - log.scrollHeight * 0.04);
      expect(coversView(log), `rows cover the view at step ${step}: ${where(log)}`).toBe(true);
      expect(rows(log).length).toBeLessThan(MAX_ROWS);
    }
    await scrollLogTo(log, 0);
    await expect.element(row('history 1')).toBeInViewport();
    expect(rows(log)[0]!.getAttribute('aria-posinset')).toBe('1');
    expect(coversView(log)).toBe(true);
    // And back down to the newest.
    await scrollLogTo(log, log.scrollHeight);
    await expect.element(row('history 10000')).toBeInViewport();
    expect(coversView(log)).toBe(true);
  });

  it('scrolls with the keyboard: Home reaches the first message and End the last', async () => {
    const { log } = await openChat();
    log.focus();
    await userEvent.keyboard('{Home}');
    await expect.element(row('history 1')).toBeInViewport();
    await userEvent.keyboard('{PageDown}');
    await nextFrame();
    expect(coversView(log)).toBe(true);
    await userEvent.keyboard('{End}');
    await expect.element(row('history 10000')).toBeInViewport();
    expect(rows(log).length).toBeLessThan(MAX_ROWS);
  });

  it('follows a new message while the buyer is at the bottom, and announces it', async () => {
    const { transport, log } = await openChat();
    await expect.element(row('history 10000')).toBeInViewport();
    transport.receive(messageFrame(COUNT + 1, { body: { kind: 'text', text: 'the newest answer' } }));
    await expect.element(row('the newest answer')).toBeInViewport();
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeLessThan(2);
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(rows(log).length).toBeLessThan(MAX_ROWS);
  });

  it('keeps the place of a buyer who scrolled up when a message arrives, and does not announce rows brought in by scrolling', async () => {
    const { transport, client, chat, log } = await openChat();
    await expect.element(row('history 10000')).toBeInViewport();
    // Within the newest 2,000: the client keeps that many in memory once a new message comes.
    await scrollLogTo(log, log.scrollHeight * 0.9);
    // Rows the window rendered because the buyer scrolled are old news: the log is not live for them.
    expect(log.getAttribute('aria-live')).toBe('off');
    const first = [...rows(log)].find((r) => r.getBoundingClientRect().bottom > log.getBoundingClientRect().top)!;
    const before = first.getBoundingClientRect().top;

    transport.receive(messageFrame(COUNT + 1, { body: { kind: 'text', text: 'an answer while reading' } }));
    await expect.poll(() => client.getSnapshot().messages.at(-1)?.seq).toBe(COUNT + 1);
    await chat.updateComplete;
    await nextFrame();
    expect(row('an answer while reading').query()).toBeNull();
    expect(first.isConnected).toBe(true);
    // 8,000 older rows left memory above it (the client keeps 2,000): uncorrected, the view would
    // jump by their height; the correction leaves sub-row rounding.
    expect(Math.abs(first.getBoundingClientRect().top - before)).toBeLessThan(8);
  });

  it('keeps the row at the top of the view in place (within a few pixels) when a row above it grows', async () => {
    const { log } = await openChat();
    await scrollLogTo(log, log.scrollHeight / 3);
    const view = log.getBoundingClientRect();
    const shown = [...rows(log)];
    const anchor = shown.find((r) => r.getBoundingClientRect().top >= view.top)!;
    const above = shown.filter((r) => r.getBoundingClientRect().bottom < view.top).at(-2)!;
    const before = anchor.getBoundingClientRect().top;
    const h0 = above.getBoundingClientRect().height;
    // A row above the view grows (as an image that loads or a "Show more" would).
    (above.querySelector('[part~="message-text"]') as HTMLElement).append(document.createElement('br'), 'more', document.createElement('br'), 'and more');
    await expect.poll(() => above.getBoundingClientRect().height - h0).toBeGreaterThan(30);
    await nextFrame();
    await nextFrame();
    // Uncorrected, it would move down by the whole growth; the correction leaves sub-row rounding.
    expect(Math.abs(anchor.getBoundingClientRect().top - before)).toBeLessThan(8);
  });

  it('resends a failed message at the end of a long conversation', async () => {
    const { transport } = await openChat();
    await userEvent.type(page.getByRole('textbox', { name: 'Message' }), 'please refund{Enter}');
    await expect.poll(() => transport.commands().length).toBe(1);
    const id = transport.commands()[0]!.id;
    transport.receive({ v: 1, kind: 'nack', id, error: { code: 'refused', message: 'rate limited by rule', retryable: false } });

    const failed = page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'please refund' });
    await expect.element(failed).toBeInViewport();
    await expect.element(failed).toHaveTextContent('Not sent');
    await failed.getByRole('button', { name: 'Resend' }).click();
    await expect.poll(() => transport.commands().map((c) => c.id)).toEqual([id, id]);
    await expect.element(failed).toHaveTextContent('Sending…');
  });

  it('shows the buyer their own message even when they had scrolled up', async () => {
    const { log } = await openChat();
    await scrollLogTo(log, 0);
    await expect.element(row('history 1')).toBeInViewport();
    await userEvent.type(page.getByRole('textbox', { name: 'Message' }), 'where is my parcel{Enter}');
    const mine = page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'where is my parcel' });
    await expect.element(mine).toBeInViewport();
    expect(rows(log).length).toBeLessThan(MAX_ROWS);
  });
});
