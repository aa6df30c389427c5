import { compareMoney, subtractMoneyFloor, type Money } from '../money.js';
import type { Order, OrderItem } from '../order.js';
import { DAY_MS, assertNow } from '../time.js';
import { CASE_TYPES, afterSalesReason, type CaseType, type OrderStage } from './reasons.js';

/** Why a line is out of the no-reason return. */
export type ExclusionCategory = 'custom-made' | 'perishable' | 'digital' | 'shop-excluded';
export const EXCLUSION_CATEGORIES: readonly ExclusionCategory[] = ['custom-made', 'perishable', 'digital', 'shop-excluded'];

/**
 * One machine-readable reason behind a verdict. Reasons explain refusals and, on allowed
 * verdicts, what the buyer should know (the window is open until …, these lines are excluded).
 * The widget translates `code` and fills `params` in.
 */
export type EligibilityReason =
  | { readonly code: 'order-closed' }
  | { readonly code: 'awaiting-payment' }
  | { readonly code: 'nothing-left-to-refund' }
  /** Shipped but not delivered: wait for the parcel (or refuse it at the door). */
  | { readonly code: 'in-transit' }
  | { readonly code: 'not-delivered-yet' }
  /** The order is delivered but the shop did not say when. The no-reason window cannot be counted. */
  | { readonly code: 'delivery-time-unknown' }
  | { readonly code: 'no-reason-window-open'; readonly params: { readonly until: number } }
  | { readonly code: 'no-reason-window-closed'; readonly params: { readonly closedAt: number } }
  | { readonly code: 'category-excluded'; readonly params: { readonly lineIds: readonly string[]; readonly category: ExclusionCategory } }
  | { readonly code: 'all-lines-excluded' }
  | { readonly code: 'fast-refund-order-ineligible' }
  | { readonly code: 'fast-refund-buyer-ineligible' }
  | { readonly code: 'fast-refund-amount-above-limit'; readonly params: { readonly amount: Money; readonly maxAmount: Money } };
export type EligibilityCode = EligibilityReason['code'];

/** Whether a case type may be opened, and why (not). */
export interface Verdict {
  readonly allowed: boolean;
  readonly reasons: readonly EligibilityReason[];
}

export interface NoReasonReturn {
  /** A no-reason return or exchange can be requested now for at least one line. */
  readonly eligible: boolean;
  /** End of the window (exclusive), when the order is delivered and the delivery time known. */
  readonly until?: number;
  /** Lines that never qualify (custom-made, perishable, digital, shop-marked). */
  readonly excludedLineIds: readonly string[];
  readonly reasons: readonly EligibilityReason[];
}

export interface FastRefund {
  readonly eligible: boolean;
  readonly maxAmount: Money;
  /** Why not, when not eligible; empty when eligible. */
  readonly reasons: readonly EligibilityReason[];
}

/** Who pays the postage of a return. */
export type PostagePayer = 'insurance' | 'merchant' | 'buyer';

export interface ShippingInsurance {
  readonly covered: boolean;
  /** Who pays when the buyer gives no quality-problem reason (see `returnPostagePayer`). */
  readonly payer: PostagePayer;
  readonly maxPayout: Money;
}

/** What an order qualifies for, as of `now`. */
export interface Eligibility {
  readonly cases: Readonly<Record<CaseType, Verdict>>;
  /** Paid minus already refunded: the most any refund can still be. */
  readonly refundable: Money;
  readonly noReasonReturn: NoReasonReturn;
  readonly fastRefund: FastRefund;
  readonly shippingInsurance: ShippingInsurance;
}

export interface EligibilityOptions {
  /** The buyer's fast-refund standing; overrides `order.policy.buyerFastRefundEligible`. */
  readonly buyerFastRefundEligible?: boolean;
  /** The amount the buyer means to ask for; fast refund is judged against it. Defaults to `refundable`. */
  readonly amount?: Money;
}

/**
 * The refundable amount: paid minus already refunded, never below zero.
 */
export function refundableAmount(order: Order): Money {
  return subtractMoneyFloor(order.totals.paid, order.refunded);
}

/**
 * The stage after-sales rules see: `before-shipment` while paid and awaiting shipment,
 * `after-delivery` once delivered or completed, `undefined` otherwise (unpaid, in transit, closed).
 */
export function orderStage(order: Order): OrderStage | undefined {
  if (order.status === 'awaiting-shipment') return 'before-shipment';
  if (order.status === 'delivered' || order.status === 'completed') return 'after-delivery';
  return undefined;
}

/**
 * The categories that take a line out of the no-reason return: custom-made, perishable and
 * digital goods, and products the shop marked as excluded.
 */
export function exclusionCategories(item: OrderItem): ExclusionCategory[] {
  const flags = item.flags ?? {};
  const out: ExclusionCategory[] = [];
  if (flags.customMade) out.push('custom-made');
  if (flags.perishable) out.push('perishable');
  if (flags.digital) out.push('digital');
  if (flags.excludedFromNoReasonReturn) out.push('shop-excluded');
  return out;
}

/**
 * The end of the no-reason window: `deliveredAt + noReasonReturnDays × 24h`. The window is open
 * while `now < until`; at exactly 7 × 24 h after delivery it has closed. `undefined` when the order
 * is not delivered or the delivery time is unknown.
 */
export function noReasonWindowEnd(order: Order): number | undefined {
  if (orderStage(order) !== 'after-delivery' || order.deliveredAt === undefined) return undefined;
  return order.deliveredAt + (order.policy.noReasonReturnDays ?? 7) * DAY_MS;
}

/**
 * The 7-day no-reason return (length from `order.policy.noReasonReturnDays`, default 7):
 * - counted from `deliveredAt`, open while `now < deliveredAt + days × 24h`;
 * - lines flagged custom-made, perishable, digital or shop-excluded never qualify; the order
 *   qualifies when at least one line does;
 * - nothing qualifies when nothing is left to refund, the order is closed or not yet delivered.
 */
export function noReasonReturn(order: Order, now: number): NoReasonReturn {
  assertNow(now);
  const excludedLineIds = order.items.filter((i) => exclusionCategories(i).length > 0).map((i) => i.lineId);
  const blocked = blockers(order);
  const until = noReasonWindowEnd(order);
  const reasons: EligibilityReason[] = [...blocked];
  if (blocked.length === 0) {
    if (orderStage(order) !== 'after-delivery') reasons.push({ code: 'not-delivered-yet' });
    else if (until === undefined) reasons.push({ code: 'delivery-time-unknown' });
    else if (now < until) reasons.push({ code: 'no-reason-window-open', params: { until } });
    else reasons.push({ code: 'no-reason-window-closed', params: { closedAt: until } });
  }
  reasons.push(...exclusionReasons(order));
  const allExcluded = excludedLineIds.length === order.items.length;
  if (allExcluded) reasons.push({ code: 'all-lines-excluded' });
  const eligible = blocked.length === 0 && until !== undefined && now < until && !allExcluded;
  return until === undefined ? { eligible, excludedLineIds, reasons } : { eligible, until, excludedLineIds, reasons };
}

function exclusionReasons(order: Order): EligibilityReason[] {
  const out: EligibilityReason[] = [];
  for (const category of EXCLUSION_CATEGORIES) {
    const lineIds = order.items.filter((i) => exclusionCategories(i).includes(category)).map((i) => i.lineId);
    if (lineIds.length > 0) out.push({ code: 'category-excluded', params: { lineIds, category } });
  }
  return out;
}

/** Reasons that rule out every case type: closed, unpaid, or everything already refunded. */
function blockers(order: Order): EligibilityReason[] {
  if (order.status === 'closed') return [{ code: 'order-closed' }];
  if (order.status === 'awaiting-payment') return [{ code: 'awaiting-payment' }];
  if (refundableAmount(order).amount === 0) return [{ code: 'nothing-left-to-refund' }];
  return [];
}

/**
 * Whether each case type may be opened now:
 * - nothing after the order is closed (`order-closed`), before it is paid (`awaiting-payment`),
 *   or when paid − refunded is zero (`nothing-left-to-refund`);
 * - refund-only: while paid and awaiting shipment, and once delivered or completed (item missing,
 *   damaged, not received…); not while in transit (`in-transit`);
 * - return-and-refund and exchange: only once delivered or completed (`not-delivered-yet`).
 *   Their allowed verdicts carry the no-reason window (`no-reason-window-open` / `-closed`) and
 *   `category-excluded` lines, since those decide which reasons the buyer can still pick.
 */
export function caseVerdicts(order: Order, now: number): Record<CaseType, Verdict> {
  assertNow(now);
  const blocked = blockers(order);
  const stage = orderStage(order);
  const out = {} as Record<CaseType, Verdict>;
  for (const type of CASE_TYPES) {
    if (blocked.length > 0) {
      out[type] = { allowed: false, reasons: blocked };
    } else if (type === 'refund-only') {
      out[type] = stage === undefined ? { allowed: false, reasons: [{ code: 'in-transit' }] } : { allowed: true, reasons: [] };
    } else if (stage !== 'after-delivery') {
      out[type] = { allowed: false, reasons: [{ code: 'not-delivered-yet' }] };
    } else {
      out[type] = { allowed: true, reasons: windowReasons(order, now) };
    }
  }
  return out;
}

function windowReasons(order: Order, now: number): EligibilityReason[] {
  const until = noReasonWindowEnd(order);
  const reasons: EligibilityReason[] = [];
  if (until === undefined) reasons.push({ code: 'delivery-time-unknown' });
  else if (now < until) reasons.push({ code: 'no-reason-window-open', params: { until } });
  else reasons.push({ code: 'no-reason-window-closed', params: { closedAt: until } });
  return [...reasons, ...exclusionReasons(order)];
}

/**
 * Fast refund pays the buyer before the merchant confirms receipt of the return. Eligible when
 * all hold: the buyer qualifies (`options.buyerFastRefundEligible`, else
 * `order.policy.buyerFastRefundEligible`, absent = no), the order qualifies
 * (`order.policy.fastRefund.eligible`), the amount (`options.amount`, else the refundable amount)
 * is at most `order.policy.fastRefund.maxAmount`, and some refund is possible at all.
 */
export function fastRefund(order: Order, options: EligibilityOptions = {}): FastRefund {
  const { maxAmount } = order.policy.fastRefund;
  const reasons: EligibilityReason[] = [...blockers(order)];
  if (!(options.buyerFastRefundEligible ?? order.policy.buyerFastRefundEligible ?? false)) reasons.push({ code: 'fast-refund-buyer-ineligible' });
  if (!order.policy.fastRefund.eligible) reasons.push({ code: 'fast-refund-order-ineligible' });
  const amount = options.amount ?? refundableAmount(order);
  if (compareMoney(amount, maxAmount) > 0) reasons.push({ code: 'fast-refund-amount-above-limit', params: { amount, maxAmount } });
  return { eligible: reasons.length === 0, maxAmount, reasons };
}

/**
 * Who pays the return postage for a reason: the shipping insurance when the order is covered
 * (up to `maxPayout`); otherwise the merchant for a quality-problem reason (defect, damage, wrong
 * or missing goods, not as described); otherwise (no reason given, no-reason returns, size
 * exchanges) the buyer.
 */
export function returnPostagePayer(order: Order, reasonCode?: string): PostagePayer {
  if (order.policy.shippingInsurance.covered) return 'insurance';
  if (reasonCode !== undefined && afterSalesReason(reasonCode)?.qualityProblem) return 'merchant';
  return 'buyer';
}

/**
 * Everything the buyer should be told before applying: a verdict per case type, the refundable
 * amount, the no-reason window, fast refund and return-shipping insurance. Pure: `now` is a
 * parameter (ms since the epoch).
 *
 * @example
 * const e = eligibility(order, Date.now())
 * if (!e.cases['return-and-refund'].allowed) show(e.cases['return-and-refund'].reasons)
 */
export function eligibility(order: Order, now: number, options: EligibilityOptions = {}): Eligibility {
  assertNow(now);
  return {
    cases: caseVerdicts(order, now),
    refundable: refundableAmount(order),
    noReasonReturn: noReasonReturn(order, now),
    fastRefund: fastRefund(order, options),
    shippingInsurance: {
      covered: order.policy.shippingInsurance.covered,
      payer: returnPostagePayer(order),
      maxPayout: order.policy.shippingInsurance.maxPayout,
    },
  };
}
