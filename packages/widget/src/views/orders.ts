// The orders area of the panel, one chunk of the script-tag build (see internal/lazy-elements.ts).
export { XiaoerOrderList } from '../components/order-list/order-list.js';
export { XiaoerGuestLookup } from '../components/guest-lookup/guest-lookup.js';
export { XiaoerOrderDetail } from '../components/order-detail/order-detail.js';
