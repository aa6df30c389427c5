export interface XiaoerEmojiPickDetail {
  /** The emoji chosen, as text to insert (`'👍'`, `'❤️'`). */
  readonly emoji: string;
}

/**
 * Fired by `<xiaoer-emoji-picker>` when the buyer picks an emoji (a click, or Enter or Space on it).
 * The opener inserts `detail.emoji` into its text; the picker stays open until the opener closes it.
 */
export class XiaoerEmojiPickEvent extends CustomEvent<XiaoerEmojiPickDetail> {
  constructor(detail: XiaoerEmojiPickDetail) {
    super('xiaoer-emoji-pick', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-emoji-pick': XiaoerEmojiPickEvent;
  }
}
