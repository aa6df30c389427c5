export interface XiaoerRequestWithdrawCaseDetail {
  readonly caseId: string;
}

/**
 * Fired when the buyer has confirmed "Withdraw request", just before the widget asks the client
 * to withdraw the after-sales case. Cancellable: `preventDefault()` keeps the case open.
 */
export class XiaoerRequestWithdrawCaseEvent extends CustomEvent<XiaoerRequestWithdrawCaseDetail> {
  constructor(detail: XiaoerRequestWithdrawCaseDetail) {
    super('xiaoer-request-withdraw-case', { bubbles: true, composed: true, cancelable: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-request-withdraw-case': XiaoerRequestWithdrawCaseEvent;
  }
}
