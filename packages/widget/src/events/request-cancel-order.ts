export interface XiaoerRequestCancelOrderDetail {
  readonly orderId: string;
}

/**
 * Fired when the buyer has confirmed "Cancel order", just before the widget asks the client to
 * cancel it. Cancellable: `preventDefault()` keeps the order (the page may run its own flow).
 */
export class XiaoerRequestCancelOrderEvent extends CustomEvent<XiaoerRequestCancelOrderDetail> {
  constructor(detail: XiaoerRequestCancelOrderDetail) {
    super('xiaoer-request-cancel-order', { bubbles: true, composed: true, cancelable: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-request-cancel-order': XiaoerRequestCancelOrderEvent;
  }
}
