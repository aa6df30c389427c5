// The panel's side views, each registered when first shown. The script-tag build turns each
// import() below into a chunk of its own, so the first open of the panel loads the chat alone; in the
// npm build `define.ts` has registered them all already and nothing here loads anything.

type Loader = () => Promise<CustomElementConstructor>;

// Grouped by area, three chunks rather than ten (and the composer's small emoji picker): the views of an area are used together, and
// fewer, larger files compress better (measured: npm run bench).
const orders = () => import('../views/orders.js');
const afterSales = () => import('../views/after-sales.js');
const service = () => import('../views/service.js');
const emoji = () => import('../views/emoji.js');

const LOADERS: Record<string, Loader> = {
  'xiaoer-order-list': () => orders().then((m) => m.XiaoerOrderList),
  'xiaoer-guest-lookup': () => orders().then((m) => m.XiaoerGuestLookup),
  'xiaoer-order-detail': () => orders().then((m) => m.XiaoerOrderDetail),
  'xiaoer-after-sales-form': () => afterSales().then((m) => m.XiaoerAfterSalesForm),
  'xiaoer-case-list': () => afterSales().then((m) => m.XiaoerCaseList),
  'xiaoer-case-detail': () => afterSales().then((m) => m.XiaoerCaseDetail),
  'xiaoer-help-center': () => service().then((m) => m.XiaoerHelpCenter),
  'xiaoer-leave-message': () => service().then((m) => m.XiaoerLeaveMessage),
  'xiaoer-rating': () => service().then((m) => m.XiaoerRating),
  'xiaoer-complaint-form': () => service().then((m) => m.XiaoerComplaintForm),
  'xiaoer-emoji-picker': () => emoji().then((m) => m.XiaoerEmojiPicker),
};

/** The elements a view shows inside itself, loaded with it so it never waits twice. */
const ALSO: Record<string, readonly string[]> = { 'xiaoer-order-list': ['xiaoer-guest-lookup'] };

const pending = new Map<string, Promise<void>>();


/**
 * Registers a side-view element (and the ones it shows inside), loading its code first if needed.
 * Resolves once it is defined; an element already registered (`define.ts`, another copy) is kept.
 * A failed load is forgotten, so showing the view again retries it.
 */
export function defineLazily(tag: string): Promise<void> {
  const load = LOADERS[tag];
  const also = (ALSO[tag] ?? []).map(defineLazily);
  if (!load || customElements.get(tag)) return Promise.all(also).then(() => undefined);
  let loading = pending.get(tag);
  if (!loading) {
    loading = load().then(
      (element) => {
        if (!customElements.get(tag)) customElements.define(tag, element);
      },
      (error: unknown) => {
        pending.delete(tag);
        throw error;
      },
    );
    pending.set(tag, loading);
  }
  return Promise.all([loading, ...also]).then(() => undefined);
}

/** The element of each side view of the panel, by its route's `view`. */
export const VIEW_ELEMENTS = {
  orders: 'xiaoer-order-list',
  order: 'xiaoer-order-detail',
  'after-sales': 'xiaoer-after-sales-form',
  cases: 'xiaoer-case-list',
  case: 'xiaoer-case-detail',
  help: 'xiaoer-help-center',
  'leave-message': 'xiaoer-leave-message',
  complaint: 'xiaoer-complaint-form',
} as const;

/** Like `defineLazily`, for a render path: a failed load is reported, and showing the view again retries. */
export function showLazily(tag: string): void {
  defineLazily(tag).catch((error: unknown) => console.error(`[xiaoer] <${tag}> could not be loaded`, error));
}
