/** Fired after the chat panel opens (by the launcher, the keyboard or `show()`). */
export class XiaoerOpenEvent extends CustomEvent<Record<string, never>> {
  constructor() {
    super('xiaoer-open', { bubbles: true, composed: true, detail: {} });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-open': XiaoerOpenEvent;
  }
}
