import { XiaoerCloseEvent } from './close.js';
import { XiaoerEmojiCloseEvent } from './emoji-close.js';
import { XiaoerEmojiPickEvent, type XiaoerEmojiPickDetail } from './emoji-pick.js';
import { XiaoerMessageSendEvent, type XiaoerMessageSendDetail } from './message-send.js';
import { XiaoerNavigateEvent, type XiaoerNavigateDetail, type XiaoerRoute } from './navigate.js';
import { XiaoerOpenEvent } from './open.js';
import { XiaoerRequestCancelOrderEvent, type XiaoerRequestCancelOrderDetail } from './request-cancel-order.js';
import { XiaoerRequestWithdrawCaseEvent, type XiaoerRequestWithdrawCaseDetail } from './request-withdraw-case.js';

export {
  XiaoerOpenEvent,
  XiaoerCloseEvent,
  XiaoerMessageSendEvent,
  XiaoerNavigateEvent,
  XiaoerRequestCancelOrderEvent,
  XiaoerRequestWithdrawCaseEvent,
  XiaoerEmojiPickEvent,
  XiaoerEmojiCloseEvent,
  type XiaoerMessageSendDetail,
  type XiaoerNavigateDetail,
  type XiaoerRoute,
  type XiaoerRequestCancelOrderDetail,
  type XiaoerRequestWithdrawCaseDetail,
  type XiaoerEmojiPickDetail,
};

/** Every DOM event the widget dispatches, by name. */
export interface XiaoerEventMap {
  'xiaoer-open': XiaoerOpenEvent;
  'xiaoer-close': XiaoerCloseEvent;
  'xiaoer-message-send': XiaoerMessageSendEvent;
  'xiaoer-navigate': XiaoerNavigateEvent;
  'xiaoer-request-cancel-order': XiaoerRequestCancelOrderEvent;
  'xiaoer-request-withdraw-case': XiaoerRequestWithdrawCaseEvent;
  'xiaoer-emoji-pick': XiaoerEmojiPickEvent;
  'xiaoer-emoji-close': XiaoerEmojiCloseEvent;
}

export type XiaoerEventName = keyof XiaoerEventMap;
export type XiaoerEventDetail<K extends XiaoerEventName> = XiaoerEventMap[K]['detail'];

/** Builds the event object of a name, so `emit()` always dispatches the documented class. */
export function createXiaoerEvent<K extends XiaoerEventName>(name: K, detail: XiaoerEventDetail<K>): XiaoerEventMap[K] {
  switch (name) {
    case 'xiaoer-open':
      return new XiaoerOpenEvent() as XiaoerEventMap[K];
    case 'xiaoer-close':
      return new XiaoerCloseEvent() as XiaoerEventMap[K];
    case 'xiaoer-message-send':
      return new XiaoerMessageSendEvent(detail as XiaoerMessageSendDetail) as XiaoerEventMap[K];
    case 'xiaoer-navigate':
      return new XiaoerNavigateEvent(detail as XiaoerNavigateDetail) as XiaoerEventMap[K];
    case 'xiaoer-request-cancel-order':
      return new XiaoerRequestCancelOrderEvent(detail as XiaoerRequestCancelOrderDetail) as XiaoerEventMap[K];
    case 'xiaoer-request-withdraw-case':
      return new XiaoerRequestWithdrawCaseEvent(detail as XiaoerRequestWithdrawCaseDetail) as XiaoerEventMap[K];
    case 'xiaoer-emoji-pick':
      return new XiaoerEmojiPickEvent(detail as XiaoerEmojiPickDetail) as XiaoerEventMap[K];
    case 'xiaoer-emoji-close':
      return new XiaoerEmojiCloseEvent() as XiaoerEventMap[K];
  }
  throw new TypeError(`unknown xiaoer event: ${String(name)}`);
}
