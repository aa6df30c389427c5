/**
 * Fired by `<xiaoer-emoji-picker>` when the buyer presses Escape in it: the opener closes the picker
 * and takes focus back (to the button that opened it). The keydown's default is prevented, so an
 * enclosing panel that closes on Escape (`<xiaoer-chat>`) leaves it alone.
 */
export class XiaoerEmojiCloseEvent extends CustomEvent<Record<string, never>> {
  constructor() {
    super('xiaoer-emoji-close', { bubbles: true, composed: true, detail: {} });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-emoji-close': XiaoerEmojiCloseEvent;
  }
}
