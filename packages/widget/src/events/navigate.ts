/**
 * A place inside the chat panel. `person` is not a view but an intent: "let me talk to a person",
 * which the chat turns into a handoff request, or into the leave-a-message form when nobody can
 * answer now.
 */
export type XiaoerRoute =
  | { readonly view: 'chat' }
  | { readonly view: 'orders' }
  | { readonly view: 'order'; readonly orderId: string }
  | { readonly view: 'after-sales'; readonly orderId: string }
  | { readonly view: 'cases' }
  | { readonly view: 'case'; readonly caseId: string }
  | { readonly view: 'help' }
  | { readonly view: 'leave-message' }
  | { readonly view: 'complaint'; readonly orderId?: string }
  | { readonly view: 'person' };

export type XiaoerNavigateDetail = XiaoerRoute & {
  /** Replace the current view instead of stacking on it (a submitted form is not somewhere to go back to). */
  readonly replace?: boolean;
};

/**
 * Fired by a view that wants to show another one (an order's detail, the case just opened, the
 * chat). `<xiaoer-chat>` follows it; a page that hosts a view on its own can listen and route.
 */
export class XiaoerNavigateEvent extends CustomEvent<XiaoerNavigateDetail> {
  constructor(detail: XiaoerNavigateDetail) {
    super('xiaoer-navigate', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-navigate': XiaoerNavigateEvent;
  }
}
