import * as v from 'valibot';
import { LIMITS } from '../limits.js';
import { MoneySchema } from '../money.js';
import { TimestampSchema } from '../time.js';
import { CaseTypeSchema } from './reasons.js';
import { AfterSalesRequestSchema } from './request.js';

/**
 * The states of an after-sales case.
 *
 * ```
 * requested ─approve/timeout─▶ approved (refund-only) ─refund─▶ refunded ─close─▶ closed
 *     │                └──────▶ awaiting-return (return-and-refund, exchange)
 *     │                              │ ship-return (fast refund paid here when eligible)
 *     │                              ▼
 *     │                         return-shipped ─receive-return/timeout─▶ return-received
 *     │                                                                   ├─refund─▶ refunded
 *     │                                                                   └─ship-replacement─▶ replacement-shipped ─confirm-replacement─▶ closed
 *     └─reject─▶ rejected ─escalate─▶ escalated ─rule for-buyer─▶ (approved path)
 *                                               └─rule for-merchant─▶ closed
 * ```
 * A return-type case passes through "approved" straight into `awaiting-return`; `approved` as a
 * resting state belongs to refund-only cases, which wait there for the refund.
 */
export const CASE_STATES = [
  'requested',
  'approved',
  'rejected',
  'escalated',
  'awaiting-return',
  'return-shipped',
  'return-received',
  'refunded',
  'replacement-shipped',
  'closed',
] as const;
export const CaseStateSchema = v.picklist(CASE_STATES);
export type CaseState = v.InferOutput<typeof CaseStateSchema>;

/** How a closed case ended. */
export const CASE_OUTCOMES = ['refunded', 'exchanged', 'withdrawn', 'buyer-did-not-ship', 'rejected'] as const;
export const CaseOutcomeSchema = v.picklist(CASE_OUTCOMES);
export type CaseOutcome = v.InferOutput<typeof CaseOutcomeSchema>;

/** Who made something happen. `system` is the clock (timeouts). */
export const CASE_ACTORS = ['buyer', 'merchant', 'platform', 'system'] as const;
export const CaseActorSchema = v.picklist(CASE_ACTORS);
export type CaseActor = v.InferOutput<typeof CaseActorSchema>;

/** What a timeline entry records; the widget translates these. */
export const TIMELINE_TYPES = [
  'requested',
  'approved',
  'auto-approved',
  'rejected',
  'escalated',
  'ruled-for-buyer',
  'ruled-for-merchant',
  'escalation-expired',
  'return-shipped',
  'return-not-shipped',
  'fast-refund-paid',
  'return-received',
  'auto-received',
  'refund-paid',
  'replacement-shipped',
  'replacement-confirmed',
  'withdrawn',
  'closed',
] as const;
export const TimelineTypeSchema = v.picklist(TIMELINE_TYPES);
export type TimelineType = v.InferOutput<typeof TimelineTypeSchema>;

/** Bounds on what the buyer and merchant type into events. */
export const CASE_LIMITS = { carrier: 50, trackingNumber: 40, note: 500, rejectReason: 500, timeline: 100 } as const;

const Note = v.pipe(v.string(), v.maxLength(CASE_LIMITS.note));
/** Trimmed, non-empty, bounded. */
const Filled = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'Must not be empty'), v.maxLength(max));

export const TimelineEntrySchema = v.object({
  at: TimestampSchema,
  type: TimelineTypeSchema,
  by: CaseActorSchema,
  note: v.optional(Note),
});
export type TimelineEntry = v.InferOutput<typeof TimelineEntrySchema>;

/** A parcel someone sent: the buyer's return or the merchant's replacement. */
export const ParcelSchema = v.object({
  carrier: Filled(CASE_LIMITS.carrier),
  trackingNumber: Filled(CASE_LIMITS.trackingNumber),
  shippedAt: TimestampSchema,
});
export type Parcel = v.InferOutput<typeof ParcelSchema>;

/** A refund paid. `fast` when it was paid before the merchant confirmed receipt of the return. */
export const RefundSchema = v.object({ amount: MoneySchema, paidAt: TimestampSchema, fast: v.boolean() });
export type Refund = v.InferOutput<typeof RefundSchema>;

export const RulingSchema = v.picklist(['for-buyer', 'for-merchant']);
export type Ruling = v.InferOutput<typeof RulingSchema>;

/** Platform mediation after a rejection. */
export const MediationSchema = v.object({
  openedAt: TimestampSchema,
  ruling: v.optional(RulingSchema),
  ruledAt: v.optional(TimestampSchema),
});
export type Mediation = v.InferOutput<typeof MediationSchema>;

/**
 * The deadlines in force. Only the current state's deadline is set (see `nextDeadline`); a
 * `timeout` event at or after it takes the state's timeout transition.
 */
export const DeadlinesSchema = v.object({
  /** `requested`: the merchant must approve or reject before this; at it the case is auto-approved. */
  merchantReplyBy: v.optional(TimestampSchema),
  /** `awaiting-return`: the buyer must ship the return before this; at it the case closes. */
  buyerShipBy: v.optional(TimestampSchema),
  /** `return-shipped`: the merchant must confirm receipt before this; at it receipt is assumed. */
  merchantReceiveBy: v.optional(TimestampSchema),
  /** `rejected`: the buyer may escalate before this; at it the case closes as rejected. */
  escalateBy: v.optional(TimestampSchema),
});
export type Deadlines = v.InferOutput<typeof DeadlinesSchema>;
export type DeadlineKind = keyof Deadlines;

/**
 * An after-sales case: the machine's whole context, serialisable. A new value is never a mutated
 * old one; `transition` returns the next.
 */
export const AfterSalesCaseSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id)),
  orderId: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id)),
  type: CaseTypeSchema,
  request: AfterSalesRequestSchema,
  state: CaseStateSchema,
  /** Set once the case is `closed`. */
  outcome: v.optional(CaseOutcomeSchema),
  createdAt: TimestampSchema,
  deadlines: DeadlinesSchema,
  /** Decided when the case opened (`eligibility(...).fastRefund` for the requested amount). */
  fastRefundEligible: v.boolean(),
  /** Who pays the return postage, for cases that involve a return. */
  returnPostagePayer: v.optional(v.picklist(['insurance', 'merchant', 'buyer'])),
  rejection: v.optional(v.object({ at: TimestampSchema, reason: v.pipe(v.string(), v.maxLength(CASE_LIMITS.rejectReason)) })),
  returnShipment: v.optional(ParcelSchema),
  replacementShipment: v.optional(ParcelSchema),
  refund: v.optional(RefundSchema),
  mediation: v.optional(MediationSchema),
  /** Everything that happened, oldest first. */
  timeline: v.pipe(v.array(TimelineEntrySchema), v.maxLength(CASE_LIMITS.timeline)),
});
export type AfterSalesCase = v.InferOutput<typeof AfterSalesCaseSchema>;

/**
 * What can happen to a case. Who sends each: approve, reject, receive-return, refund,
 * ship-replacement — merchant; ship-return, confirm-replacement, escalate, withdraw — buyer;
 * rule — platform; timeout, close — system. `note` goes into the timeline.
 */
export const CaseEventSchema = v.variant('type', [
  v.object({ type: v.literal('approve'), note: v.optional(Note) }),
  v.object({ type: v.literal('reject'), reason: Filled(CASE_LIMITS.rejectReason) }),
  v.object({ type: v.literal('timeout') }),
  v.object({ type: v.literal('ship-return'), carrier: Filled(CASE_LIMITS.carrier), trackingNumber: Filled(CASE_LIMITS.trackingNumber) }),
  v.object({ type: v.literal('receive-return'), note: v.optional(Note) }),
  v.object({ type: v.literal('refund') }),
  v.object({ type: v.literal('ship-replacement'), carrier: Filled(CASE_LIMITS.carrier), trackingNumber: Filled(CASE_LIMITS.trackingNumber) }),
  v.object({ type: v.literal('confirm-replacement') }),
  v.object({ type: v.literal('escalate'), note: v.optional(Note) }),
  v.object({ type: v.literal('rule'), ruling: RulingSchema, note: v.optional(Note) }),
  v.object({ type: v.literal('withdraw'), note: v.optional(Note) }),
  v.object({ type: v.literal('close') }),
]);
export type CaseEvent = v.InferOutput<typeof CaseEventSchema>;
export type CaseEventType = CaseEvent['type'];
export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'approve', 'reject', 'timeout', 'ship-return', 'receive-return', 'refund',
  'ship-replacement', 'confirm-replacement', 'escalate', 'rule', 'withdraw', 'close',
];
