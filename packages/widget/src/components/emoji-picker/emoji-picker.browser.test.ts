import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html, render } from 'lit';
import { audit } from '../../test-helpers/axe.js';
import '../../define.js';
import { XiaoerEmojiCloseEvent, XiaoerEmojiPickEvent } from '../../events/index.js';
import { deepActiveElement, mount, unmount } from '../../test-helpers/dom.js';
import { EMOJI_COLUMNS, PICKER_EMOJI, type XiaoerEmojiPicker } from './emoji-picker.js';

afterEach(unmount);

/** The picker between two plain buttons, so Tab can go in and out of it. */
async function mountBetween(locale = 'en'): Promise<XiaoerEmojiPicker> {
  const wrapper = await mount(html`<div><button>before</button><xiaoer-emoji-picker locale=${locale}></xiaoer-emoji-picker><button>after</button></div>`);
  const picker = wrapper.querySelector('xiaoer-emoji-picker')!;
  await picker.updateComplete;
  return picker;
}

/**
 * The picker inside another element's shadow root, as in the chat: a listener on the document only
 * hears its events if they are composed (and bubble).
 */
async function mountInShadow(): Promise<XiaoerEmojiPicker> {
  const outer = await mount(html`<div></div>`);
  const root = outer.attachShadow({ mode: 'open' });
  render(html`<xiaoer-emoji-picker locale="en"></xiaoer-emoji-picker>`, root);
  const picker = root.querySelector('xiaoer-emoji-picker')!;
  await picker.updateComplete;
  return picker;
}

/** Every event of a type that reaches the document while the test runs. */
function record<K extends 'xiaoer-emoji-pick' | 'xiaoer-emoji-close'>(type: K) {
  const events: GlobalEventHandlersEventMap[K][] = [];
  const listener = (e: GlobalEventHandlersEventMap[K]) => events.push(e);
  document.addEventListener(type, listener);
  return { events, stop: () => document.removeEventListener(type, listener) };
}

const buttonsOf = (picker: XiaoerEmojiPicker) => [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')];
const emojiButton = (emoji: string) => page.getByRole('button', { name: emoji, exact: true });
/** The index of the focused emoji (-1 when focus is elsewhere). */
const focusedIndex = (picker: XiaoerEmojiPicker) => buttonsOf(picker).indexOf(deepActiveElement() as HTMLButtonElement);
/** The indexes of the emoji that are in the tab order. */
const tabStops = (picker: XiaoerEmojiPicker) => buttonsOf(picker).flatMap((b, i) => (b.tabIndex === 0 ? [i] : []));

describe('<xiaoer-emoji-picker>', () => {
  it('offers about three dozen distinct emoji, a whole number of rows', () => {
    expect(PICKER_EMOJI.length).toBe(36);
    expect(new Set(PICKER_EMOJI).size).toBe(PICKER_EMOJI.length);
    expect(PICKER_EMOJI.length % EMOJI_COLUMNS).toBe(0);
  });

  it('renders every emoji as a plain button, in order, in a group labelled in English and in Chinese', async () => {
    const picker = await mountBetween('en');
    const group = page.getByRole('group', { name: 'Emoji', exact: true });
    await expect.element(group).toBeVisible();
    await expect.element(group.getByRole('button')).toHaveLength(PICKER_EMOJI.length);
    const buttons = buttonsOf(picker);
    expect(buttons.map((b) => b.textContent)).toEqual([...PICKER_EMOJI]);
    for (const b of buttons) {
      expect(b.type).toBe('button');
      expect(b.getAttribute('part')).toBe('emoji');
      expect(b.hasAttribute('aria-label')).toBe(false); // the emoji is its own name
    }
    expect(picker.shadowRoot!.querySelector('[role="group"]')!.getAttribute('part')).toBe('grid');
    await expect.element(emojiButton('👍')).toBeVisible();
    await expect.element(emojiButton('❤️')).toBeVisible();

    picker.locale = 'zh-CN';
    await expect.element(page.getByRole('group', { name: '表情', exact: true })).toBeVisible();
    await expect.element(page.getByRole('group', { name: 'Emoji', exact: true })).not.toBeInTheDocument();
  });

  it('follows <html lang> when no locale is set', async () => {
    const lang = document.documentElement.lang;
    document.documentElement.lang = 'zh-CN';
    try {
      await mount(html`<xiaoer-emoji-picker></xiaoer-emoji-picker>`);
      await expect.element(page.getByRole('group', { name: '表情', exact: true })).toBeVisible();
    } finally {
      document.documentElement.lang = lang;
    }
  });

  it('lays the emoji out in EMOJI_COLUMNS columns of touch-sized buttons, even in a narrow holder', async () => {
    const wrapper = await mount(html`<div class="narrow"><xiaoer-emoji-picker locale="en"></xiaoer-emoji-picker></div>`);
    wrapper.style.width = '320px';
    const picker = wrapper.querySelector('xiaoer-emoji-picker')!;
    await picker.updateComplete;
    const grid = picker.shadowRoot!.querySelector<HTMLElement>('[part="grid"]')!;
    expect(getComputedStyle(grid).gridTemplateColumns.split(' ')).toHaveLength(EMOJI_COLUMNS);
    const buttons = buttonsOf(picker);
    for (const b of buttons) {
      const box = b.getBoundingClientRect();
      expect(box.width).toBeGreaterThanOrEqual(32);
      expect(box.height).toBeGreaterThanOrEqual(32);
    }
    // The second row starts under the first emoji.
    expect(buttons[EMOJI_COLUMNS]!.getBoundingClientRect().left).toBe(buttons[0]!.getBoundingClientRect().left);
    expect(buttons[EMOJI_COLUMNS]!.getBoundingClientRect().top).toBeGreaterThan(buttons[0]!.getBoundingClientRect().top);
  });

  it('dispatches a composed, bubbling xiaoer-emoji-pick on click that reaches the document from a shadow root', async () => {
    const picker = await mountInShadow();
    const picks = record('xiaoer-emoji-pick');
    try {
      await emojiButton('🎁').click();
      await emojiButton('❤️').click();
      expect(picks.events.map((e) => e.detail)).toEqual([{ emoji: '🎁' }, { emoji: '❤️' }]);
      const [event] = picks.events;
      expect(event).toBeInstanceOf(XiaoerEmojiPickEvent);
      expect(event!.bubbles).toBe(true);
      expect(event!.composed).toBe(true);
      // Clicking moved the tab stop to the emoji clicked last.
      expect(tabStops(picker)).toEqual([PICKER_EMOJI.indexOf('❤️')]);
    } finally {
      picks.stop();
    }
  });

  it('picks with Enter and Space on the focused emoji', async () => {
    const picker = await mountBetween();
    const picks = record('xiaoer-emoji-pick');
    try {
      await picker.focusFirst();
      await userEvent.keyboard('{ArrowRight}{ArrowRight}');
      await userEvent.keyboard('{Enter}');
      await userEvent.keyboard('{ArrowDown}');
      await userEvent.keyboard(' ');
      expect(picks.events.map((e) => e.detail.emoji)).toEqual([PICKER_EMOJI[2], PICKER_EMOJI[2 + EMOJI_COLUMNS]]);
      expect(focusedIndex(picker)).toBe(2 + EMOJI_COLUMNS); // picking leaves focus where it was
    } finally {
      picks.stop();
    }
  });

  it('moves focus with the arrow keys, Home and End, keeping one tab stop that remembers the last emoji focused', async () => {
    const picker = await mountBetween();
    const last = PICKER_EMOJI.length - 1;
    expect(tabStops(picker)).toEqual([0]);

    await page.getByRole('button', { name: 'before', exact: true }).click();
    await userEvent.tab();
    expect(focusedIndex(picker)).toBe(0);

    const steps: Array<[key: string, index: number]> = [
      ['{ArrowRight}', 1],
      ['{ArrowDown}', 1 + EMOJI_COLUMNS],
      ['{ArrowLeft}', EMOJI_COLUMNS],
      ['{ArrowLeft}', EMOJI_COLUMNS - 1], // back to the end of the row above
      ['{ArrowUp}', EMOJI_COLUMNS - 1], // already in the first row: stays
      ['{Home}', 0],
      ['{ArrowLeft}', 0], // the first emoji: stays
      ['{ArrowUp}', 0],
      ['{End}', last],
      ['{ArrowRight}', last], // the last emoji: stays
      ['{ArrowDown}', last], // the last row: stays
      ['{ArrowUp}', last - EMOJI_COLUMNS],
      ['{ArrowRight}', last - EMOJI_COLUMNS + 1], // on to the start of the next row
    ];
    for (const [key, index] of steps) {
      await userEvent.keyboard(key);
      expect(focusedIndex(picker), `after ${key}`).toBe(index);
      expect(tabStops(picker), `tab stops after ${key}`).toEqual([index]);
    }

    // One tab stop: Tab leaves the grid, Shift+Tab comes back to the emoji last focused.
    await userEvent.tab();
    expect((deepActiveElement() as HTMLElement).textContent).toBe('after');
    await userEvent.tab({ shift: true });
    expect(focusedIndex(picker)).toBe(last - EMOJI_COLUMNS + 1);
    await userEvent.tab({ shift: true });
    expect((deepActiveElement() as HTMLElement).textContent).toBe('before');
  });

  it('dispatches a composed xiaoer-emoji-close on Escape, and keeps the Escape from closing the panel around it', async () => {
    const picker = await mountInShadow();
    const closes = record('xiaoer-emoji-close');
    const picks = record('xiaoer-emoji-pick');
    const escapes: boolean[] = [];
    const onKeydown = (e: KeyboardEvent) => e.key === 'Escape' && escapes.push(e.defaultPrevented);
    document.addEventListener('keydown', onKeydown);
    try {
      await picker.focusFirst();
      await userEvent.keyboard('{ArrowRight}{Escape}');
      expect(closes.events).toHaveLength(1);
      expect(closes.events[0]).toBeInstanceOf(XiaoerEmojiCloseEvent);
      expect(closes.events[0]!.bubbles).toBe(true);
      expect(closes.events[0]!.composed).toBe(true);
      expect(escapes).toEqual([true]);
      expect(picks.events).toEqual([]);
    } finally {
      closes.stop();
      picks.stop();
      document.removeEventListener('keydown', onKeydown);
    }
  });

  it('focusFirst() focuses the tab stop: the first emoji, then the one last focused', async () => {
    const picker = await mountBetween();
    expect(focusedIndex(picker)).toBe(-1);
    await picker.focusFirst();
    expect(focusedIndex(picker)).toBe(0);

    await userEvent.keyboard('{ArrowDown}{ArrowRight}');
    await page.getByRole('button', { name: 'after', exact: true }).click();
    expect(focusedIndex(picker)).toBe(-1);
    await picker.focusFirst();
    expect(focusedIndex(picker)).toBe(EMOJI_COLUMNS + 1);
  });

  it('focusFirst() works right after the picker is created, before its first render', async () => {
    const wrapper = await mount(html`<div></div>`);
    const picker = document.createElement('xiaoer-emoji-picker');
    picker.locale = 'en';
    wrapper.append(picker);
    await picker.focusFirst();
    expect(focusedIndex(picker)).toBe(0);
  });

  for (const locale of ['en', 'zh-CN']) {
    it(`has no axe violations (${locale}), at rest and with an emoji focused`, async () => {
      const picker = await mountBetween(locale);
      await audit(picker, `emoji picker (${locale})`);
      await picker.focusFirst();
      await userEvent.keyboard('{End}');
      await audit(picker, `emoji picker (${locale})`);
    });
  }
});
