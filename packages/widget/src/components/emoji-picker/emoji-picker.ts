import { css, html } from 'lit';
import { state } from 'lit/decorators.js';
import { XiaoerElement } from '../../base/xiaoer-element.js';

/** The emoji the picker offers, in its order: faces, gestures, then shopping and delivery. */
export const PICKER_EMOJI = [
  '😀', '😁', '😂', '🙂', '😊', '😍', '😘', '😉', '😅',
  '😭', '😢', '😡', '😮', '🤔', '😴', '🙏', '👍', '👎',
  '👌', '👏', '🙌', '💪', '❤️', '💔', '🎉', '🎁', '🌹',
  '☕', '📦', '🚚', '💰', '✅', '❌', '⏰', '📷', '❓',
] as const;

/** Emoji per row: the CSS grid's column count, and the step of ArrowUp and ArrowDown. */
export const EMOJI_COLUMNS = 9;

/**
 * @summary A small grid of common emoji for the chat's composer, meant for a popover. The grid is
 * one tab stop (the first emoji, then the one last focused); the arrow keys move by one emoji or one
 * row, Home and End to the first and the last. A click, Enter or Space picks an emoji; Escape asks
 * the opener to close the picker. The picker never closes itself: the opener listens and decides.
 * It brings no border, shadow or position of its own, so it fits whatever holds it.
 *
 * @event {XiaoerEmojiPickEvent} xiaoer-emoji-pick - An emoji was picked: `{ emoji }`.
 * @event {XiaoerEmojiCloseEvent} xiaoer-emoji-close - Escape was pressed: close the picker and take focus back.
 *
 * @csspart grid - The emoji grid (a labelled group).
 * @csspart emoji - One emoji button.
 *
 * @cssproperty [--xiaoer-color-surface-alt=#f4f4f5] - An emoji under the pointer.
 */
export class XiaoerEmojiPicker extends XiaoerElement {
  static override styles = [
    ...XiaoerElement.styles,
    css`
      :host {
        --_surface: var(--xiaoer-color-surface, #ffffff);
        --_surface-alt: var(--xiaoer-color-surface-alt, #f4f4f5);
        --_text: var(--xiaoer-color-text, #18181b);

        display: inline-block;
        max-width: 100%;
        background: var(--_surface);
      }
      .grid {
        display: grid;
        /* 9 = EMOJI_COLUMNS. Columns shrink from 36px to 32px in a narrow holder, no further. */
        grid-template-columns: repeat(9, minmax(32px, 36px));
        gap: 2px;
        padding: 6px;
      }
      .emoji {
        display: flex;
        align-items: center;
        justify-content: center;
        min-width: 32px;
        min-height: 36px;
        margin: 0;
        padding: 0;
        /* Transparent, so forced-colors mode still draws each button's edge. */
        border: 1px solid transparent;
        border-radius: 8px;
        background: transparent;
        color: var(--_text);
        font-family: 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji', var(--xiaoer-font-family, system-ui), sans-serif;
        font-size: 20px;
        line-height: 1;
        cursor: pointer;
        transition: background-color 120ms ease;
      }
      .emoji:hover {
        background: var(--_surface-alt);
      }
      @media (prefers-reduced-motion: reduce) {
        .emoji {
          transition: none;
        }
      }
    `,
  ];

  /** The index of the emoji that holds the grid's one tab stop. */
  @state() private active = 0;

  /**
   * Focuses the grid's tab stop: the first emoji, or the one last focused. For the opener, once the
   * picker is shown.
   */
  async focusFirst(): Promise<void> {
    await this.updateComplete;
    this.emojiButtons()[this.active]?.focus();
  }

  private emojiButtons(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.emoji')];
  }

  private onFocusIn(event: FocusEvent): void {
    const at = this.emojiButtons().indexOf(event.target as HTMLButtonElement);
    if (at >= 0) this.active = at;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') {
      // Handled here: a panel that closes on Escape (the chat) sees defaultPrevented and stays open.
      event.preventDefault();
      this.emit('xiaoer-emoji-close');
      return;
    }
    const buttons = this.emojiButtons();
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    const last = buttons.length - 1;
    let next: number;
    switch (event.key) {
      case 'ArrowLeft':
        next = Math.max(at - 1, 0);
        break;
      case 'ArrowRight':
        next = Math.min(at + 1, last);
        break;
      case 'ArrowUp':
        next = at - EMOJI_COLUMNS >= 0 ? at - EMOJI_COLUMNS : at;
        break;
      case 'ArrowDown':
        next = at + EMOJI_COLUMNS <= last ? at + EMOJI_COLUMNS : at;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.active = next;
    buttons[next]?.focus();
  }

  override render() {
    return html`<div part="grid" class="grid" role="group" aria-label=${this.strings.media.emojiPicker} @keydown=${this.onKeydown} @focusin=${this.onFocusIn}>
      ${PICKER_EMOJI.map(
        (emoji, i) =>
          html`<button type="button" part="emoji" class="emoji" tabindex=${i === this.active ? '0' : '-1'} @click=${() => this.emit('xiaoer-emoji-pick', { emoji })}>${emoji}</button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-emoji-picker': XiaoerEmojiPicker;
  }
}
