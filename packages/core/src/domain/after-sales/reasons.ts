import * as v from 'valibot';

/** The three kinds of after-sales case a buyer can open. */
export const CASE_TYPES = ['refund-only', 'return-and-refund', 'exchange'] as const;
export const CaseTypeSchema = v.picklist(CASE_TYPES);
export type CaseType = v.InferOutput<typeof CaseTypeSchema>;

/**
 * When in the order's life a reason may be given for a case type: `before-shipment` (the order is
 * paid and awaiting shipment) or `after-delivery` (delivered or completed).
 */
export type OrderStage = 'before-shipment' | 'after-delivery';

/** Kinds of evidence photo a reason can ask for; the widget shows one upload slot per kind. */
export const PHOTO_SLOTS = [
  'outer-box',
  'shipping-label',
  'defect-close-up',
  'item-received',
  'item-overview',
  'size-label',
  'other',
] as const;
export const PhotoSlotSchema = v.picklist(PHOTO_SLOTS);
export type PhotoSlot = v.InferOutput<typeof PhotoSlotSchema>;

/** The reason codes a buyer chooses from. */
export const AFTER_SALES_REASON_CODES = [
  'no-longer-needed',
  'size-exchange',
  'wrong-item',
  'damaged',
  'quality-problem',
  'not-as-described',
  'missing-parts',
  'not-received',
] as const;
export const AfterSalesReasonCodeSchema = v.picklist(AFTER_SALES_REASON_CODES);
export type AfterSalesReasonCode = v.InferOutput<typeof AfterSalesReasonCodeSchema>;

/** What a reason means for the rules. */
export interface AfterSalesReason {
  readonly code: AfterSalesReasonCode;
  /** The case types this reason may be given for, each with the order stage it applies at. */
  readonly for: Readonly<Partial<Record<CaseType, OrderStage>>>;
  /**
   * The merchant is at fault (defect, damage, wrong or missing goods): the merchant pays return
   * postage when no insurance covers it.
   */
  readonly qualityProblem: boolean;
  /**
   * A no-reason return or exchange: after delivery it is only accepted inside the no-reason window
   * and never for excluded lines (custom-made, perishable, digital, shop-marked).
   */
  readonly noReason: boolean;
  /** Photo slots the buyer must fill (at least one photo each) before the request can be sent. */
  readonly evidence: readonly PhotoSlot[];
}

/**
 * Every reason, per case type and order stage, with its evidence checklist.
 *
 * | reason | refund-only | return-and-refund | exchange | quality | no-reason | evidence |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | no-longer-needed | before shipment | after delivery | – | no | yes | – |
 * | size-exchange | – | – | after delivery | no | yes | – |
 * | wrong-item | – | after delivery | after delivery | yes | no | item-received, shipping-label |
 * | damaged | after delivery | after delivery | after delivery | yes | no | outer-box, shipping-label, defect-close-up |
 * | quality-problem | after delivery | after delivery | after delivery | yes | no | defect-close-up |
 * | not-as-described | after delivery | after delivery | – | yes | no | item-received |
 * | missing-parts | after delivery | after delivery | – | yes | no | item-overview, outer-box |
 * | not-received | after delivery | – | – | no | no | – |
 */
export const AFTER_SALES_REASONS: readonly AfterSalesReason[] = [
  { code: 'no-longer-needed', for: { 'refund-only': 'before-shipment', 'return-and-refund': 'after-delivery' }, qualityProblem: false, noReason: true, evidence: [] },
  { code: 'size-exchange', for: { exchange: 'after-delivery' }, qualityProblem: false, noReason: true, evidence: [] },
  { code: 'wrong-item', for: { 'return-and-refund': 'after-delivery', exchange: 'after-delivery' }, qualityProblem: true, noReason: false, evidence: ['item-received', 'shipping-label'] },
  { code: 'damaged', for: { 'refund-only': 'after-delivery', 'return-and-refund': 'after-delivery', exchange: 'after-delivery' }, qualityProblem: true, noReason: false, evidence: ['outer-box', 'shipping-label', 'defect-close-up'] },
  { code: 'quality-problem', for: { 'refund-only': 'after-delivery', 'return-and-refund': 'after-delivery', exchange: 'after-delivery' }, qualityProblem: true, noReason: false, evidence: ['defect-close-up'] },
  { code: 'not-as-described', for: { 'refund-only': 'after-delivery', 'return-and-refund': 'after-delivery' }, qualityProblem: true, noReason: false, evidence: ['item-received'] },
  { code: 'missing-parts', for: { 'refund-only': 'after-delivery', 'return-and-refund': 'after-delivery' }, qualityProblem: true, noReason: false, evidence: ['item-overview', 'outer-box'] },
  { code: 'not-received', for: { 'refund-only': 'after-delivery' }, qualityProblem: false, noReason: false, evidence: [] },
];

const BY_CODE = new Map(AFTER_SALES_REASONS.map((r) => [r.code, r]));

/** The definition of a reason code, or `undefined` for an unknown code. */
export function afterSalesReason(code: string): AfterSalesReason | undefined {
  return BY_CODE.get(code as AfterSalesReasonCode);
}

/**
 * The reason codes a buyer may pick for a case type, optionally only those that apply at an order
 * stage. `reasonsFor('refund-only', 'before-shipment')` → `['no-longer-needed']`.
 */
export function reasonsFor(type: CaseType, stage?: OrderStage): AfterSalesReasonCode[] {
  return AFTER_SALES_REASONS.filter((r) => r.for[type] !== undefined && (stage === undefined || r.for[type] === stage)).map((r) => r.code);
}
