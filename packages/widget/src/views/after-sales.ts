// The after-sales area of the panel, one chunk of the script-tag build (see internal/lazy-elements.ts).
export { XiaoerAfterSalesForm } from '../components/after-sales-form/after-sales-form.js';
export { XiaoerCaseList } from '../components/case-list/case-list.js';
export { XiaoerCaseDetail } from '../components/case-detail/case-detail.js';
