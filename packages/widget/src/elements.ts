// The element classes and their helpers, without registering anything (`define.ts` does that).
export { XiaoerChat, DISPLAY_CLIP_LENGTH } from './components/chat/chat.js';
export { XiaoerOrderList } from './components/order-list/order-list.js';
export { XiaoerOrderDetail } from './components/order-detail/order-detail.js';
export { XiaoerGuestLookup } from './components/guest-lookup/guest-lookup.js';
export { XiaoerAfterSalesForm } from './components/after-sales-form/after-sales-form.js';
export { XiaoerCaseList } from './components/case-list/case-list.js';
export { XiaoerCaseDetail } from './components/case-detail/case-detail.js';
export { XiaoerLeaveMessage } from './components/leave-message/leave-message.js';
export { XiaoerRating } from './components/rating/rating.js';
export { XiaoerComplaintForm } from './components/complaint-form/complaint-form.js';
export { XiaoerHelpCenter } from './components/help-center/help-center.js';
export { XiaoerEmojiPicker, PICKER_EMOJI } from './components/emoji-picker/emoji-picker.js';
export { XiaoerElement } from './base/xiaoer-element.js';
export { XiaoerView } from './base/xiaoer-view.js';
export { StoreController } from './controllers/store-controller.js';
export { preparePhoto, PhotoError, type PhotoProblem } from './internal/photo.js';
export { parseMajorUnits, formatMajorUnits } from './internal/money-input.js';
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
  type XiaoerEventMap,
  type XiaoerEventName,
} from './events/index.js';
export { resolveLocale, stringsFor, loadLocale, provideLocale, type XiaoerLocale, type XiaoerStrings } from './locales/index.js';
export { en } from './locales/en.js';
export { zhCN } from './locales/zh-CN.js';
