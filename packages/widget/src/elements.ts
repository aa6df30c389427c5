// The element classes and their helpers, without registering anything (`define.ts` does that).
export { XiaoerChat, DISPLAY_CLIP_LENGTH } from './components/chat/chat.js';
export { XiaoerElement } from './base/xiaoer-element.js';
export { StoreController } from './controllers/store-controller.js';
export {
  XiaoerOpenEvent,
  XiaoerCloseEvent,
  XiaoerMessageSendEvent,
  type XiaoerMessageSendDetail,
  type XiaoerEventMap,
  type XiaoerEventName,
} from './events/index.js';
export { en, zhCN, resolveLocale, stringsFor, type XiaoerLocale, type XiaoerStrings } from './locales/index.js';
