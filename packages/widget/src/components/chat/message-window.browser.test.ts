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
  // Day separators are rows of the window too (history 1 has one above it).
  const shown = [...log.querySelectorAll('.message-list > li')].map((r) => r.getBoundingClientRect());
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

// ---------------------------------------------------------------- day separators, jump to latest, focus

/** Local noon `daysAgo` calendar days before today, plus `minute` minutes. */
const noon = (daysAgo: number, minute = 0) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysAgo, 12, minute).getTime();
};

/** An open chat (in `locale`) over a stored history of these times, one message per time. */
async function openChatAt(times: readonly number[], locale = 'en') {
  const storage = createMemoryStorage();
  const messages = times.map((createdAt, i) => message(i + 1, { createdAt, body: { kind: 'text', text: `history ${i + 1}` } }));
  await storage.set('xiaoer:conversation', { conversationId: CONVERSATION_ID, lastSeq: times.length, routing: { phase: 'bot' }, messages });
  const transport = new MockTransport();
  const client = createClient({ transport, storage });
  await client.start();
  transport.open();
  transport.receive(readyFrame({ lastSeq: times.length }));
  render(html`<xiaoer-chat .client=${client} locale=${locale}></xiaoer-chat>`, container);
  const chat = container.querySelector('xiaoer-chat') as XiaoerChat;
  await chat.show();
  const log = chat.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
  return { transport, client, chat, log };
}

/** The rendered rows in order: "day:<label>" for a separator, the message text's first word pair otherwise. */
function sequence(log: HTMLElement): string[] {
  return [...log.querySelectorAll<HTMLElement>('.message-list > li')].map((li) =>
    li.matches('[part~="day-separator"]') ? `day:${li.textContent!.trim()}` : (li.querySelector('[part~="message-text"]')?.textContent ?? '').trim(),
  );
}

const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

describe('<xiaoer-chat> day separators', () => {
  const old = new Date(2023, 10, 14, 12).getTime(); // 14 November 2023, local
  const times = [old, old + 60_000, noon(3), noon(3, 5), noon(1), noon(0), noon(0, 1), noon(0, 2)];

  it('puts a separator before the first message of each day and none within a day, labelled in English', async () => {
    const { log } = await openChatAt(times);
    await expect.element(page.getByText('history 8')).toBeInViewport();
    const threeDaysAgo = WEEKDAYS_EN[new Date(noon(3)).getDay()];
    expect(sequence(log)).toEqual([
      'day:November 14, 2023',
      'history 1',
      'history 2',
      `day:${threeDaysAgo}`,
      'history 3',
      'history 4',
      'day:Yesterday',
      'history 5',
      'day:Today',
      'history 6',
      'history 7',
      'history 8',
    ]);
    // Visual only, outside the numbering of the messages: screen readers get the day from each
    // message's time, which has the date for every day but today.
    for (const separator of log.querySelectorAll('[part~="day-separator"]')) expect(separator.getAttribute('aria-hidden')).toBe('true');
    const messages = rows(log);
    expect(messages[0]!.querySelector('time')!.textContent).toContain('Nov');
    expect(messages[0]!.querySelector('time')!.textContent).toContain('14');
    expect([...messages].map((r) => r.getAttribute('aria-posinset'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(messages[0]!.getAttribute('aria-setsize')).toBe('8');
  });

  it('labels the days in Chinese: 今天, 昨天, the weekday, then the date', async () => {
    const { log } = await openChatAt(times, 'zh-CN');
    await expect.element(page.getByText('history 8')).toBeInViewport();
    expect(sequence(log).filter((entry) => entry.startsWith('day:'))).toEqual([
      'day:2023年11月14日',
      `day:${WEEKDAYS_ZH[new Date(noon(3)).getDay()]}`,
      'day:昨天',
      'day:今天',
    ]);
  });

  it('with 10,000 messages over many days, separators scroll with the messages and the DOM stays bounded', async () => {
    // Ten messages a day, the newest today: 1,000 days, 1,000 separators among 10,000 messages.
    const many = Array.from({ length: COUNT }, (_, i) => noon(Math.floor((COUNT - 1 - i) / 10), i % 10));
    const { log } = await openChatAt(many);
    await expect.element(page.getByText('history 10000')).toBeInViewport();
    expect(sequence(log).slice(-11)).toEqual(['day:Today', ...Array.from({ length: 10 }, (_, i) => `history ${9991 + i}`)]);
    const all = () => log.querySelectorAll('.message-list > li').length;
    expect(all()).toBeLessThan(MAX_ROWS);
    await scrollLogTo(log, log.scrollHeight / 2);
    await scrollLogTo(log, log.scrollTop); // settled
    const middle = sequence(log);
    expect(middle.filter((entry) => entry.startsWith('day:')).length).toBeGreaterThan(0);
    // Every separator is followed by the first message of its day (history 10k+1), never mid-day.
    middle.forEach((entry, i) => {
      if (entry.startsWith('day:') && middle[i + 1]) expect(Number(middle[i + 1]!.split(' ')[1]) % 10, `${entry} before ${middle[i + 1]}`).toBe(1);
    });
    expect(coversView(log)).toBe(true);
    expect(all()).toBeLessThan(MAX_ROWS);
    await scrollLogTo(log, 0);
    await expect.element(page.getByText('history 1', { exact: true })).toBeInViewport();
    expect(sequence(log)[0]).toMatch(/^day:/);
    expect(all()).toBeLessThan(MAX_ROWS);
  });
});

describe('<xiaoer-chat> jump to latest', () => {
  const jump = () => page.getByRole('button', { name: /new messages?$/ });

  it('shows "N new messages" while the buyer reads further up, counts arrivals, and takes them to the newest with the keyboard', async () => {
    const { transport, chat, log } = await openChat();
    await expect.element(row('history 10000')).toBeInViewport();
    expect(jump().query()).toBeNull();
    await scrollLogTo(log, log.scrollHeight * 0.9);
    await chat.updateComplete;
    expect(jump().query()).toBeNull(); // scrolling up alone: nothing new

    transport.receive(messageFrame(COUNT + 1, { body: { kind: 'text', text: 'first while reading' } }));
    await expect.element(page.getByRole('button', { name: '1 new message' })).toBeVisible();
    transport.receive(messageFrame(COUNT + 2, { body: { kind: 'text', text: 'second while reading' } }));
    await expect.element(page.getByRole('button', { name: '2 new messages' })).toBeVisible();
    // Announced once, when it appeared: the notice does not change as the count grows.
    const status = chat.shadowRoot!.querySelector('.visually-hidden[role="status"]')!;
    expect(status.textContent).toBe('1 new message');

    (chat.shadowRoot!.querySelector('[part~="jump-button"]') as HTMLElement).focus();
    await userEvent.keyboard('{Enter}');
    await expect.element(row('second while reading')).toBeInViewport();
    await expect.poll(() => jump().query()).toBeNull();
    expect(status.textContent).toBe('');
    // Focus went to the list, not to the page, as the button left.
    expect(chat.shadowRoot!.activeElement).toBe(log);
  });

  it('hides once the buyer scrolls down to the newest themselves', async () => {
    const { transport, log } = await openChat();
    await expect.element(row('history 10000')).toBeInViewport();
    await scrollLogTo(log, log.scrollHeight * 0.9);
    transport.receive(messageFrame(COUNT + 1, { body: { kind: 'text', text: 'arrived above the fold' } }));
    await expect.element(page.getByRole('button', { name: '1 new message' })).toBeVisible();
    await scrollLogTo(log, log.scrollHeight);
    await scrollLogTo(log, log.scrollHeight);
    await expect.element(row('arrived above the fold')).toBeInViewport();
    await expect.poll(() => jump().query()).toBeNull();
  });

  it('says it in Chinese: 回到最新 with the count', async () => {
    const { transport, log } = await openChatAt(Array.from({ length: 200 }, (_, i) => noon(0, i % 60)), 'zh-CN');
    await scrollLogTo(log, 0);
    transport.receive(messageFrame(201, { body: { kind: 'text', text: '新消息' } }));
    await expect.element(page.getByRole('button', { name: '回到最新（1 条新消息）' })).toBeVisible();
  });
});

describe('<xiaoer-chat> focus in rows the window drops', () => {
  it('moves focus from a Resend button to the list when its row scrolls out of the window, never to the page', async () => {
    const { transport, chat, log } = await openChat();
    await userEvent.type(page.getByRole('textbox', { name: 'Message' }), 'please refund{Enter}');
    await expect.poll(() => transport.commands().length).toBe(1);
    transport.receive({ v: 1, kind: 'nack', id: transport.commands()[0]!.id, error: { code: 'refused', message: 'rate limited', retryable: false } });
    const resend = page.getByRole('button', { name: 'Resend' });
    await expect.element(resend).toBeVisible();
    (resend.element() as HTMLElement).focus();
    expect(chat.shadowRoot!.activeElement?.textContent).toBe('Resend');

    await scrollLogTo(log, 0);
    await expect.element(row('history 1')).toBeInViewport();
    expect(resend.query()).toBeNull(); // its row left the DOM
    expect(document.activeElement).toBe(chat);
    expect(chat.shadowRoot!.activeElement).toBe(log);
  });
});
