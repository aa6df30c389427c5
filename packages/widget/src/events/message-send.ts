export interface XiaoerMessageSendDetail {
  /** The message's client id: its idempotency key, and `Message.clientId` once the server has it. */
  readonly id: string;
  /** The text as queued (trimmed). */
  readonly text: string;
}

/**
 * Fired when the buyer sends a message (typed or picked from a suggestion) and the client has
 * queued it. It says nothing about delivery: that shows in the message row.
 */
export class XiaoerMessageSendEvent extends CustomEvent<XiaoerMessageSendDetail> {
  constructor(detail: XiaoerMessageSendDetail) {
    super('xiaoer-message-send', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xiaoer-message-send': XiaoerMessageSendEvent;
  }
}
