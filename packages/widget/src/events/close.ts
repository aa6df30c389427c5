/** Fired after the chat panel closes (by the launcher, Escape, the minimize button or `hide()`). */
export class XiaoerCloseEvent extends CustomEvent<Record<string, never>> {
  constructor() {
    super('xiaoer-close', { bubbles: true, composed: true, detail: {} });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-close': XiaoerCloseEvent;
  }
}
