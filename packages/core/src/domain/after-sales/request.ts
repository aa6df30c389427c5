import * as v from 'valibot';
import { LIMITS } from '../limits.js';
import { MoneySchema, minMoney, prorateMoney, subtractMoneyFloor, sumMoney, type Money } from '../money.js';
import { ORDER_LIMITS, type Order, type OrderItem } from '../order.js';
import { assertNow } from '../time.js';
import type { FieldError, Validation } from '../validation.js';
import { caseVerdicts, exclusionCategories, noReasonWindowEnd, orderStage, refundableAmount } from './policy.js';
import {
  AfterSalesReasonCodeSchema,
  CaseTypeSchema,
  PHOTO_SLOTS,
  PhotoSlotSchema,
  afterSalesReason,
  type PhotoSlot,
} from './reasons.js';

export {
  AFTER_SALES_REASONS,
  AFTER_SALES_REASON_CODES,
  PHOTO_SLOTS,
  afterSalesReason,
  reasonsFor,
  type AfterSalesReason,
  type AfterSalesReasonCode,
  type PhotoSlot,
} from './reasons.js';

/** Most evidence photos one request may carry. */
export const MAX_EVIDENCE_PHOTOS = 9;
/** Longest description, in UTF-16 code units. */
export const MAX_DESCRIPTION_LENGTH = 500;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));

export const RequestLineSchema = v.object({
  lineId: Id,
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(ORDER_LIMITS.quantity)),
});
export type RequestLine = v.InferOutput<typeof RequestLineSchema>;

/** An uploaded evidence photo: the upload's id, the checklist slot it fills, the line it shows. */
export const EvidencePhotoSchema = v.object({
  id: Id,
  slot: PhotoSlotSchema,
  lineId: v.optional(Id),
});
export type EvidencePhoto = v.InferOutput<typeof EvidencePhotoSchema>;

/**
 * What a buyer submits to open an after-sales case. This schema checks shape and bounds (for the
 * wire); `validateAfterSalesRequest` checks it against the order.
 */
export const AfterSalesRequestSchema = v.object({
  type: CaseTypeSchema,
  lines: v.pipe(v.array(RequestLineSchema), v.minLength(1), v.maxLength(ORDER_LIMITS.items)),
  reason: AfterSalesReasonCodeSchema,
  /** The refund asked for; zero for an exchange. */
  amount: MoneySchema,
  description: v.pipe(v.string(), v.maxLength(MAX_DESCRIPTION_LENGTH)),
  photos: v.pipe(v.array(EvidencePhotoSchema), v.maxLength(MAX_EVIDENCE_PHOTOS)),
});
export type AfterSalesRequest = v.InferOutput<typeof AfterSalesRequestSchema>;

/**
 * The loose shape `validateAfterSalesRequest` needs before it can apply rules: types only, with
 * generous bounds so untrusted input stays cheap. Everything the rules have a code for (unknown
 * reason, fractional quantity, 10 photos, 501 characters…) passes here and is reported by the rules.
 */
const RequestShapeSchema = v.object({
  type: CaseTypeSchema,
  lines: v.pipe(v.array(v.object({ lineId: v.pipe(v.string(), v.maxLength(LIMITS.id)), quantity: v.number() })), v.maxLength(ORDER_LIMITS.items)),
  reason: v.pipe(v.string(), v.maxLength(LIMITS.id)),
  amount: v.object({ amount: v.number(), currency: v.pipe(v.string(), v.maxLength(8)) }),
  description: v.pipe(v.string(), v.maxLength(LIMITS.messageText)),
  photos: v.pipe(
    v.array(v.object({ id: v.pipe(v.string(), v.maxLength(LIMITS.id)), slot: v.pipe(v.string(), v.maxLength(LIMITS.id)), lineId: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.id))) })),
    v.maxLength(100),
  ),
});

/** Machine codes for what can be wrong with a request. */
export type RequestErrorCode =
  /** Wrong shape or type (not a number, missing field): the form is broken, not the buyer. */
  | 'invalid'
  /** The order does not allow this case type now; `params.reasons` holds the eligibility codes. */
  | 'type-not-allowed'
  | 'unknown-reason'
  /** The reason does not apply to this case type (`params.type`) or at this stage (`params.stage`). */
  | 'reason-not-allowed'
  | 'no-lines'
  | 'unknown-line'
  | 'duplicate-line'
  | 'quantity-invalid'
  /** `params.bought`: how many the buyer bought. */
  | 'quantity-above-bought'
  /** A no-reason reason after the window closed; `params.closedAt`. */
  | 'no-reason-window-closed'
  /** A no-reason reason on an excluded line; `params.categories`. */
  | 'no-reason-excluded'
  | 'amount-invalid'
  /** `params.expected`: the order's currency. */
  | 'currency-mismatch'
  | 'amount-not-positive'
  /** `params.max`: the most refundable for the chosen lines. */
  | 'amount-above-refundable'
  /** An exchange refunds nothing: its amount must be zero. */
  | 'amount-not-allowed'
  | 'description-too-long'
  | 'too-many-photos'
  | 'unknown-slot'
  | 'duplicate-photo'
  /** A checklist slot of the reason has no photo; `params.slot`. */
  | 'evidence-missing';

export type RequestFieldError = FieldError<RequestErrorCode>;

/**
 * The most that may be refunded for the chosen lines:
 * - each line contributes its paid amount (after discounts) pro rata by quantity, rounded down
 *   (`paid × quantity / bought`), less what was already refunded on that line when the shop
 *   reports it per line;
 * - the sum is capped at the order's paid − already refunded.
 * Unknown lines and impossible quantities contribute nothing (they are reported separately).
 */
export function refundableForLines(order: Order, lines: readonly { lineId: string; quantity: number }[]): Money {
  const currency = order.totals.paid.currency;
  const items = new Map(order.items.map((i) => [i.lineId, i]));
  const seen = new Set<string>();
  const shares: Money[] = [];
  for (const line of lines) {
    const item = items.get(line.lineId);
    if (!item || seen.has(line.lineId) || !Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > item.quantity) continue;
    seen.add(line.lineId);
    shares.push(lineShare(item, line.quantity));
  }
  return minMoney(sumMoney(shares, currency), refundableAmount(order));
}

function lineShare(item: OrderItem, quantity: number): Money {
  const share = prorateMoney(item.paid, quantity, item.quantity);
  return item.refunded ? minMoney(share, subtractMoneyFloor(item.paid, item.refunded)) : share;
}

function dotPathToField(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/**
 * Checks a buyer's request against the order as of `now`, collecting every problem (not just the
 * first), each with a field path and a code:
 * - `type`: the order must allow the case type now (`eligibility`);
 * - `reason`: known, listed for the type, and for the order's stage (refund-only before shipment
 *   takes only `no-longer-needed`); a no-reason reason after delivery needs the window open
 *   (`now < deliveredAt + 7 × 24 h`);
 * - `lines`: at least one; each line known, not repeated, quantity a whole number between 1 and
 *   what was bought; a no-reason reason refuses excluded lines (custom-made, perishable, digital,
 *   shop-marked);
 * - `amount`: a whole number in the order's currency; above zero and at most
 *   `refundableForLines` for refunds; exactly zero for an exchange;
 * - `description`: at most 500 characters after trimming;
 * - `photos`: at most 9, known slots, unique ids, any `lineId` one of the chosen lines, and one
 *   photo at least for every slot of the reason's evidence checklist.
 * On success returns the request with the description trimmed.
 */
export function validateAfterSalesRequest(order: Order, request: AfterSalesRequest, now: number): Validation<AfterSalesRequest, RequestErrorCode> {
  assertNow(now);
  const shape = v.safeParse(RequestShapeSchema, request);
  if (!shape.success) {
    return { ok: false, errors: shape.issues.map((issue) => ({ path: dotPathToField(v.getDotPath(issue) ?? ''), code: 'invalid' as const, params: { message: issue.message } })) };
  }
  const errors: RequestFieldError[] = [];
  const { type, lines, reason, amount, photos } = shape.output;
  const description = shape.output.description.trim();
  const stage = orderStage(order);
  const items = new Map(order.items.map((i) => [i.lineId, i]));

  const verdict = caseVerdicts(order, now)[type];
  if (!verdict.allowed) errors.push({ path: 'type', code: 'type-not-allowed', params: { reasons: verdict.reasons.map((r) => r.code) } });

  const def = afterSalesReason(reason);
  if (!def) errors.push({ path: 'reason', code: 'unknown-reason' });
  else if (def.for[type] === undefined) errors.push({ path: 'reason', code: 'reason-not-allowed', params: { type } });
  else if (verdict.allowed && stage !== undefined && def.for[type] !== stage) errors.push({ path: 'reason', code: 'reason-not-allowed', params: { type, stage } });
  const noReasonAfterDelivery = verdict.allowed && def?.noReason === true && def.for[type] === 'after-delivery' && stage === 'after-delivery';
  if (noReasonAfterDelivery) {
    const until = noReasonWindowEnd(order);
    if (until === undefined || now >= until) errors.push({ path: 'reason', code: 'no-reason-window-closed', params: until === undefined ? {} : { closedAt: until } });
  }

  if (lines.length === 0) errors.push({ path: 'lines', code: 'no-lines' });
  const chosen = new Set<string>();
  let brokenLine = false;
  lines.forEach((line, i) => {
    const item = items.get(line.lineId);
    if (!item) {
      errors.push({ path: `lines[${i}].lineId`, code: 'unknown-line' });
      brokenLine = true;
    } else if (chosen.has(line.lineId)) {
      errors.push({ path: `lines[${i}].lineId`, code: 'duplicate-line' });
      brokenLine = true;
    } else if (noReasonAfterDelivery && exclusionCategories(item).length > 0) {
      errors.push({ path: `lines[${i}].lineId`, code: 'no-reason-excluded', params: { categories: exclusionCategories(item) } });
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      errors.push({ path: `lines[${i}].quantity`, code: 'quantity-invalid' });
      brokenLine = true;
    } else if (item && line.quantity > item.quantity) {
      errors.push({ path: `lines[${i}].quantity`, code: 'quantity-above-bought', params: { bought: item.quantity } });
      brokenLine = true;
    }
    chosen.add(line.lineId);
  });
  // With a broken line the refundable maximum means nothing; the line errors say what to fix.
  const linesValid = lines.length > 0 && !brokenLine;

  const currency = order.totals.paid.currency;
  if (!Number.isSafeInteger(amount.amount) || amount.amount < 0) {
    errors.push({ path: 'amount.amount', code: 'amount-invalid' });
  } else if (amount.currency !== currency) {
    errors.push({ path: 'amount.currency', code: 'currency-mismatch', params: { expected: currency } });
  } else if (type === 'exchange') {
    if (amount.amount !== 0) errors.push({ path: 'amount', code: 'amount-not-allowed' });
  } else if (amount.amount === 0) {
    errors.push({ path: 'amount', code: 'amount-not-positive' });
  } else if (linesValid) {
    const max = refundableForLines(order, lines);
    if (amount.amount > max.amount) errors.push({ path: 'amount', code: 'amount-above-refundable', params: { max } });
  }

  if (description.length > MAX_DESCRIPTION_LENGTH) errors.push({ path: 'description', code: 'description-too-long', params: { max: MAX_DESCRIPTION_LENGTH } });

  if (photos.length > MAX_EVIDENCE_PHOTOS) errors.push({ path: 'photos', code: 'too-many-photos', params: { max: MAX_EVIDENCE_PHOTOS } });
  const photoIds = new Set<string>();
  photos.forEach((photo, i) => {
    if (!(PHOTO_SLOTS as readonly string[]).includes(photo.slot)) errors.push({ path: `photos[${i}].slot`, code: 'unknown-slot' });
    if (photoIds.has(photo.id)) errors.push({ path: `photos[${i}].id`, code: 'duplicate-photo' });
    photoIds.add(photo.id);
    if (photo.lineId !== undefined && !chosen.has(photo.lineId)) errors.push({ path: `photos[${i}].lineId`, code: 'unknown-line' });
  });
  for (const slot of def?.for[type] !== undefined ? def.evidence : []) {
    if (!photos.some((p) => p.slot === slot)) errors.push({ path: 'photos', code: 'evidence-missing', params: { slot } });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { ...request, description } };
}

/** The evidence slots a reason asks for (empty for an unknown reason). */
export function evidenceChecklist(reasonCode: string): readonly PhotoSlot[] {
  return afterSalesReason(reasonCode)?.evidence ?? [];
}
