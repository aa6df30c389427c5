import { XiaoerCloseEvent } from './close.js';
import { XiaoerMessageSendEvent, type XiaoerMessageSendDetail } from './message-send.js';
import { XiaoerOpenEvent } from './open.js';

export { XiaoerOpenEvent, XiaoerCloseEvent, XiaoerMessageSendEvent, type XiaoerMessageSendDetail };

/** Every DOM event the widget dispatches, by name. */
export interface XiaoerEventMap {
  'xiaoer-open': XiaoerOpenEvent;
  'xiaoer-close': XiaoerCloseEvent;
  'xiaoer-message-send': XiaoerMessageSendEvent;
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
  }
  throw new TypeError(`unknown xiaoer event: ${String(name)}`);
}
