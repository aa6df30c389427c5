// The package's only side effect: registering the elements. Guarded, because a storefront may
// already load another copy of the widget (a script tag and an npm bundle on the same page).
import { XiaoerAfterSalesForm } from './components/after-sales-form/after-sales-form.js';
import { XiaoerCaseDetail } from './components/case-detail/case-detail.js';
import { XiaoerCaseList } from './components/case-list/case-list.js';
import { XiaoerChat } from './components/chat/chat.js';
import { XiaoerComplaintForm } from './components/complaint-form/complaint-form.js';
import { XiaoerEmojiPicker } from './components/emoji-picker/emoji-picker.js';
import { XiaoerGuestLookup } from './components/guest-lookup/guest-lookup.js';
import { XiaoerHelpCenter } from './components/help-center/help-center.js';
import { XiaoerLeaveMessage } from './components/leave-message/leave-message.js';
import { XiaoerOrderDetail } from './components/order-detail/order-detail.js';
import { XiaoerOrderList } from './components/order-list/order-list.js';
import { XiaoerRating } from './components/rating/rating.js';
import { en } from './locales/en.js';
import { provideLocale } from './locales/index.js';
import { zhCN } from './locales/zh-CN.js';

// Both shipped tables up front: an npm app renders in either locale from the first frame (the
// script-tag build instead loads the page's one; see embed.ts).
provideLocale('en', en);
provideLocale('zh-CN', zhCN);

const elements: ReadonlyArray<readonly [string, CustomElementConstructor]> = [
  ['xiaoer-chat', XiaoerChat],
  ['xiaoer-order-list', XiaoerOrderList],
  ['xiaoer-order-detail', XiaoerOrderDetail],
  ['xiaoer-guest-lookup', XiaoerGuestLookup],
  ['xiaoer-after-sales-form', XiaoerAfterSalesForm],
  ['xiaoer-case-list', XiaoerCaseList],
  ['xiaoer-case-detail', XiaoerCaseDetail],
  ['xiaoer-leave-message', XiaoerLeaveMessage],
  ['xiaoer-rating', XiaoerRating],
  ['xiaoer-complaint-form', XiaoerComplaintForm],
  ['xiaoer-help-center', XiaoerHelpCenter],
  ['xiaoer-emoji-picker', XiaoerEmojiPicker],
];

for (const [name, element] of elements) if (!customElements.get(name)) customElements.define(name, element);
