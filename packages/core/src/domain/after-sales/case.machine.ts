import * as v from 'valibot';
import { InvalidTransitionError, RefusedError } from '../../errors.js';
import { LIMITS } from '../limits.js';
import type { Order } from '../order.js';
import { DAY_MS, HOUR_MS, assertNow } from '../time.js';
import { describeFieldErrors } from '../validation.js';
import {
  CaseEventSchema,
  type AfterSalesCase,
  type CaseActor,
  type CaseEvent,
  type CaseEventType,
  type CaseOutcome,
  type CaseState,
  type DeadlineKind,
  type TimelineEntry,
  type TimelineType,
} from './case.types.js';
import { fastRefund, returnPostagePayer } from './policy.js';
import { validateAfterSalesRequest, type AfterSalesRequest, type RequestFieldError } from './request.js';

/** The merchant has this long from the request to approve or reject; then the case is auto-approved. */
export const MERCHANT_REPLY_HOURS = 48;
/** The buyer has this long from approval to ship the return; then the case closes. */
export const BUYER_SHIP_DAYS = 7;
/** The merchant has this long from the buyer's shipment to confirm receipt; then receipt is assumed. */
export const MERCHANT_RECEIVE_DAYS = 10;
/** The buyer may escalate a rejection to platform mediation for this long; then the case closes. */
export const ESCALATE_DAYS = 7;

/** Named conditions a transition can require. All are pure functions of (case, event, now). */
export type GuardName =
  | 'needsReturn'
  | 'isRefundOnly'
  | 'isReturnAndRefund'
  | 'isExchange'
  | 'beforeDeadline'
  | 'deadlinePassed'
  | 'withinEscalationWindow'
  | 'fastRefundEligible'
  | 'refundPaid'
  | 'refundPending'
  | 'ruledForBuyer'
  | 'ruledForMerchant';

/** Named, pure updates a transition applies after appending its timeline entry. */
export type ActionName =
  | 'setBuyerShipDeadline'
  | 'setMerchantReceiveDeadline'
  | 'setEscalationDeadline'
  | 'recordRejection'
  | 'recordReturnShipment'
  | 'recordReplacementShipment'
  | 'recordRefund'
  | 'autoRefund'
  | 'payFastRefund'
  | 'openMediation'
  | 'recordRuling';

/** One way out of a state. */
export interface TransitionConfig {
  readonly target: CaseState;
  /** All must pass. */
  readonly guard?: GuardName | readonly GuardName[];
  readonly actions?: readonly ActionName[];
  /** The timeline entry this transition appends (the `appendTimeline` step, always first). */
  readonly log: TimelineType;
  /** For transitions into `closed`: how the case ended. */
  readonly outcome?: CaseOutcome;
}

export interface StateConfig {
  readonly final?: true;
  /** The event's transition, or candidates tried in order: the first whose guards all pass wins. */
  readonly on: Readonly<Partial<Record<CaseEventType, TransitionConfig | readonly TransitionConfig[]>>>;
}

const withdraw: TransitionConfig = { target: 'closed', outcome: 'withdrawn', log: 'withdrawn' };

/**
 * The after-sales case machine as data. Every transition also resets `deadlines` (only the new
 * state's deadline is set, by its actions) and appends a timeline entry.
 */
export const caseMachine: Readonly<Record<CaseState, StateConfig>> = {
  requested: {
    on: {
      approve: [
        { target: 'awaiting-return', guard: 'needsReturn', actions: ['setBuyerShipDeadline'], log: 'approved' },
        { target: 'approved', guard: 'isRefundOnly', log: 'approved' },
      ],
      reject: { target: 'rejected', guard: 'beforeDeadline', actions: ['recordRejection', 'setEscalationDeadline'], log: 'rejected' },
      timeout: [
        { target: 'awaiting-return', guard: ['deadlinePassed', 'needsReturn'], actions: ['setBuyerShipDeadline'], log: 'auto-approved' },
        { target: 'approved', guard: ['deadlinePassed', 'isRefundOnly'], log: 'auto-approved' },
      ],
      withdraw,
    },
  },
  approved: {
    on: {
      refund: { target: 'refunded', guard: ['isRefundOnly', 'refundPending'], actions: ['recordRefund'], log: 'refund-paid' },
      withdraw,
    },
  },
  rejected: {
    on: {
      escalate: { target: 'escalated', guard: 'withinEscalationWindow', actions: ['openMediation'], log: 'escalated' },
      timeout: { target: 'closed', guard: 'deadlinePassed', outcome: 'rejected', log: 'escalation-expired' },
      withdraw,
    },
  },
  escalated: {
    on: {
      rule: [
        { target: 'awaiting-return', guard: ['ruledForBuyer', 'needsReturn'], actions: ['recordRuling', 'setBuyerShipDeadline'], log: 'ruled-for-buyer' },
        { target: 'approved', guard: ['ruledForBuyer', 'isRefundOnly'], actions: ['recordRuling'], log: 'ruled-for-buyer' },
        { target: 'closed', guard: 'ruledForMerchant', actions: ['recordRuling'], outcome: 'rejected', log: 'ruled-for-merchant' },
      ],
    },
  },
  'awaiting-return': {
    on: {
      'ship-return': [
        {
          target: 'return-shipped',
          guard: ['beforeDeadline', 'fastRefundEligible'],
          actions: ['recordReturnShipment', 'setMerchantReceiveDeadline', 'payFastRefund'],
          log: 'return-shipped',
        },
        { target: 'return-shipped', guard: 'beforeDeadline', actions: ['recordReturnShipment', 'setMerchantReceiveDeadline'], log: 'return-shipped' },
      ],
      timeout: { target: 'closed', guard: 'deadlinePassed', outcome: 'buyer-did-not-ship', log: 'return-not-shipped' },
      withdraw,
    },
  },
  'return-shipped': {
    on: {
      'receive-return': [
        // Fast refund already paid: receipt finishes the case's money side.
        { target: 'refunded', guard: ['isReturnAndRefund', 'refundPaid'], log: 'return-received' },
        { target: 'return-received', log: 'return-received' },
      ],
      timeout: [
        { target: 'refunded', guard: ['deadlinePassed', 'isReturnAndRefund', 'refundPaid'], log: 'auto-received' },
        { target: 'refunded', guard: ['deadlinePassed', 'isReturnAndRefund'], actions: ['autoRefund'], log: 'auto-received' },
        { target: 'return-received', guard: ['deadlinePassed', 'isExchange'], log: 'auto-received' },
      ],
    },
  },
  'return-received': {
    on: {
      refund: { target: 'refunded', guard: ['isReturnAndRefund', 'refundPending'], actions: ['recordRefund'], log: 'refund-paid' },
      'ship-replacement': { target: 'replacement-shipped', guard: 'isExchange', actions: ['recordReplacementShipment'], log: 'replacement-shipped' },
    },
  },
  refunded: {
    on: { close: { target: 'closed', outcome: 'refunded', log: 'closed' } },
  },
  'replacement-shipped': {
    on: { 'confirm-replacement': { target: 'closed', outcome: 'exchanged', log: 'replacement-confirmed' } },
  },
  closed: { final: true, on: {} },
};

/** Which deadline each state runs against. */
const STATE_DEADLINE: Readonly<Partial<Record<CaseState, DeadlineKind>>> = {
  requested: 'merchantReplyBy',
  'awaiting-return': 'buyerShipBy',
  'return-shipped': 'merchantReceiveBy',
  rejected: 'escalateBy',
};

const DEADLINE_LABEL: Record<DeadlineKind, string> = {
  merchantReplyBy: 'merchant reply',
  buyerShipBy: 'buyer shipping',
  merchantReceiveBy: 'merchant receipt',
  escalateBy: 'escalation',
};

/** Who each timeline entry is attributed to. */
const TIMELINE_ACTOR: Readonly<Record<TimelineType, CaseActor>> = {
  requested: 'buyer',
  approved: 'merchant',
  'auto-approved': 'system',
  rejected: 'merchant',
  escalated: 'buyer',
  'ruled-for-buyer': 'platform',
  'ruled-for-merchant': 'platform',
  'escalation-expired': 'system',
  'return-shipped': 'buyer',
  'return-not-shipped': 'system',
  'fast-refund-paid': 'platform',
  'return-received': 'merchant',
  'auto-received': 'system',
  'refund-paid': 'merchant',
  'replacement-shipped': 'merchant',
  'replacement-confirmed': 'buyer',
  withdrawn: 'buyer',
  closed: 'system',
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The deadline of the case's current state, or undefined when the state has none. */
function currentDeadline(c: AfterSalesCase): number | undefined {
  const kind = STATE_DEADLINE[c.state];
  return kind === undefined ? undefined : c.deadlines[kind];
}

interface Guard {
  test(c: AfterSalesCase, event: CaseEvent | undefined, now: number): boolean;
  /** Why it failed, for the error message. */
  why(c: AfterSalesCase, event: CaseEvent | undefined, now: number): string;
  /** Reads the event's payload: `can` with only an event type treats it as passing. */
  readsEvent?: true;
}

/** The named guards. */
export const guards: Readonly<Record<GuardName, Guard>> = {
  needsReturn: { test: (c) => c.type !== 'refund-only', why: () => 'a refund-only case involves no return' },
  isRefundOnly: { test: (c) => c.type === 'refund-only', why: (c) => `only for refund-only cases, this is ${c.type}` },
  isReturnAndRefund: { test: (c) => c.type === 'return-and-refund', why: (c) => `only for return-and-refund cases, this is ${c.type}` },
  isExchange: { test: (c) => c.type === 'exchange', why: (c) => `only for exchange cases, this is ${c.type}` },
  beforeDeadline: {
    test: (c, _e, now) => {
      const at = currentDeadline(c);
      return at === undefined || now < at;
    },
    why: (c) => `the ${DEADLINE_LABEL[STATE_DEADLINE[c.state]!]} deadline passed at ${iso(currentDeadline(c)!)}`,
  },
  deadlinePassed: {
    test: (c, _e, now) => {
      const at = currentDeadline(c);
      return at !== undefined && now >= at;
    },
    why: (c) => {
      const at = currentDeadline(c);
      return at === undefined ? 'no deadline is set' : `the ${DEADLINE_LABEL[STATE_DEADLINE[c.state]!]} deadline is not reached until ${iso(at)}`;
    },
  },
  withinEscalationWindow: {
    test: (c, _e, now) => c.deadlines.escalateBy !== undefined && now < c.deadlines.escalateBy,
    why: (c) =>
      c.deadlines.escalateBy === undefined
        ? 'no escalation window is open'
        : `the ${ESCALATE_DAYS}-day escalation window closed at ${iso(c.deadlines.escalateBy)}`,
  },
  fastRefundEligible: {
    test: (c) => c.fastRefundEligible && c.type === 'return-and-refund' && c.refund === undefined,
    why: () => 'the case is not eligible for fast refund',
  },
  refundPaid: { test: (c) => c.refund !== undefined, why: () => 'no refund has been paid yet' },
  refundPending: { test: (c) => c.refund === undefined, why: (c) => `the refund was already paid at ${iso(c.refund!.paidAt)}` },
  ruledForBuyer: { test: (_c, e) => e?.type === 'rule' && e.ruling === 'for-buyer', why: () => 'the ruling is not for the buyer', readsEvent: true },
  ruledForMerchant: { test: (_c, e) => e?.type === 'rule' && e.ruling === 'for-merchant', why: () => 'the ruling is not for the merchant', readsEvent: true },
};

type Action = (c: AfterSalesCase, event: CaseEvent, now: number) => AfterSalesCase;

function parcelOf(event: CaseEvent, now: number) {
  if (event.type !== 'ship-return' && event.type !== 'ship-replacement') throw new Error(`No parcel in '${event.type}'`);
  return { carrier: event.carrier, trackingNumber: event.trackingNumber, shippedAt: now };
}

function log(c: AfterSalesCase, type: TimelineType, now: number, note?: string, by: CaseActor = TIMELINE_ACTOR[type]): AfterSalesCase {
  const entry: TimelineEntry = note ? { at: now, type, by, note } : { at: now, type, by };
  return { ...c, timeline: [...c.timeline, entry] };
}

/** The named actions. */
export const actions: Readonly<Record<ActionName, Action>> = {
  setBuyerShipDeadline: (c, _e, now) => ({ ...c, deadlines: { ...c.deadlines, buyerShipBy: now + BUYER_SHIP_DAYS * DAY_MS } }),
  setMerchantReceiveDeadline: (c, _e, now) => ({ ...c, deadlines: { ...c.deadlines, merchantReceiveBy: now + MERCHANT_RECEIVE_DAYS * DAY_MS } }),
  setEscalationDeadline: (c, _e, now) => ({ ...c, deadlines: { ...c.deadlines, escalateBy: now + ESCALATE_DAYS * DAY_MS } }),
  recordRejection: (c, e, now) => (e.type === 'reject' ? { ...c, rejection: { at: now, reason: e.reason } } : c),
  recordReturnShipment: (c, e, now) => ({ ...c, returnShipment: parcelOf(e, now) }),
  recordReplacementShipment: (c, e, now) => ({ ...c, replacementShipment: parcelOf(e, now) }),
  recordRefund: (c, _e, now) => ({ ...c, refund: { amount: { ...c.request.amount }, paidAt: now, fast: false } }),
  /** The merchant let the receipt deadline pass: the platform assumes receipt and refunds. */
  autoRefund: (c, _e, now) => log({ ...c, refund: { amount: { ...c.request.amount }, paidAt: now, fast: false } }, 'refund-paid', now, undefined, 'system'),
  /** Fast refund: paid when the buyer ships the return, before the merchant confirms receipt. */
  payFastRefund: (c, _e, now) => log({ ...c, refund: { amount: { ...c.request.amount }, paidAt: now, fast: true } }, 'fast-refund-paid', now),
  openMediation: (c, _e, now) => ({ ...c, mediation: { openedAt: now } }),
  recordRuling: (c, e, now) =>
    e.type === 'rule' && c.mediation ? { ...c, mediation: { ...c.mediation, ruling: e.ruling, ruledAt: now } } : c,
};

const asArray = <T>(x: T | readonly T[] | undefined): readonly T[] => (x === undefined ? [] : Array.isArray(x) ? (x as readonly T[]) : [x as T]);

type Resolution = { ok: true; transition: TransitionConfig; event: CaseEvent | undefined } | { ok: false; why: string };

/** Finds the transition an event takes, or explains why there is none. */
function resolve(c: AfterSalesCase, event: CaseEvent | CaseEventType, now: number): Resolution {
  const type = typeof event === 'string' ? event : event?.type;
  const config = caseMachine[c.state];
  if (!config) return { ok: false, why: `unknown state '${String(c.state)}'` };
  const candidates = asArray(config.on[type as CaseEventType]);
  if (candidates.length === 0) {
    const accepted = Object.keys(config.on);
    return {
      ok: false,
      why: config.final
        ? `state '${c.state}' is final and accepts no events`
        : `state '${c.state}' does not accept '${String(type)}' (it accepts ${accepted.map((t) => `'${t}'`).join(', ')})`,
    };
  }
  let parsed: CaseEvent | undefined;
  if (typeof event !== 'string') {
    const result = v.safeParse(CaseEventSchema, event);
    if (!result.success) {
      const problems = result.issues.map((i) => `${v.getDotPath(i) ?? 'event'}: ${i.message}`).join('; ');
      return { ok: false, why: `the event is invalid (${problems})` };
    }
    parsed = result.output;
  }
  let best: GuardName[] | undefined;
  for (const candidate of candidates) {
    const failed = asArray(candidate.guard).filter((name) => {
      const guard = guards[name];
      if (parsed === undefined && guard.readsEvent) return false;
      return !guard.test(c, parsed, now);
    });
    if (failed.length === 0) return { ok: true, transition: candidate, event: parsed };
    if (best === undefined || failed.length <= best.length) best = failed;
  }
  return { ok: false, why: best!.map((name) => `guard '${name}' failed: ${guards[name].why(c, parsed, now)}`).join('; ') };
}

/**
 * The next case after `event` at `now`. Pure: the given case is not changed. Throws
 * `InvalidTransitionError` when the current state does not accept the event, the event is malformed
 * (empty carrier, over-long tracking number…), or every candidate transition's guard fails; the
 * message names the case, state, event and why.
 *
 * @example
 * let c = openCase(order, request, now, 'as_1')
 * c = transition(c, { type: 'approve' }, now + HOUR_MS)
 * c = transition(c, { type: 'ship-return', carrier: 'SF Express', trackingNumber: 'SF1234567890' }, now + DAY_MS)
 */
export function transition(caseValue: AfterSalesCase, event: CaseEvent, now: number): AfterSalesCase {
  assertNow(now);
  if (typeof event !== 'object' || event === null) {
    throw new InvalidTransitionError(`After-sales case ${caseValue.id}: an event must be an object with a type, got ${String(event)}.`);
  }
  const found = resolve(caseValue, event, now);
  if (!found.ok) {
    const type = (event as { type?: unknown } | undefined)?.type;
    throw new InvalidTransitionError(`After-sales case ${caseValue.id}: cannot '${String(type)}' in state '${caseValue.state}': ${found.why}.`);
  }
  const { transition: t } = found;
  const e = found.event!;
  const note = 'note' in e && e.note ? e.note : e.type === 'reject' ? e.reason : undefined;
  let next: AfterSalesCase = log({ ...caseValue, state: t.target, deadlines: {} }, t.log, now, note);
  for (const name of t.actions ?? []) next = actions[name](next, e, now);
  if (t.outcome) next = { ...next, outcome: t.outcome };
  return next;
}

/**
 * Whether `event` would be accepted at `now`. Given only an event type, guards that read the
 * payload (the ruling) count as passing and the payload is not checked.
 */
export function can(caseValue: AfterSalesCase, event: CaseEvent | CaseEventType, now: number): boolean {
  assertNow(now);
  return resolve(caseValue, event, now).ok;
}

/** The event types the case accepts at `now` (for showing the buyer's and merchant's buttons). */
export function acceptedEvents(caseValue: AfterSalesCase, now: number): CaseEventType[] {
  return (Object.keys(caseMachine[caseValue.state]?.on ?? {}) as CaseEventType[]).filter((type) => can(caseValue, type, now));
}

/**
 * The deadline the case is currently running against: at `at`, a `timeout` event takes the
 * state's timeout transition (auto-approve, close, assume receipt, close as rejected).
 * `undefined` in states without one.
 */
export function nextDeadline(caseValue: AfterSalesCase): { kind: DeadlineKind; at: number } | undefined {
  const kind = STATE_DEADLINE[caseValue.state];
  const at = kind === undefined ? undefined : caseValue.deadlines[kind];
  return kind === undefined || at === undefined ? undefined : { kind, at };
}

/** A request that `openCase` refused; `errors` are the field errors of `validateAfterSalesRequest`. */
export class AfterSalesRequestRefusedError extends RefusedError {
  readonly errors: readonly RequestFieldError[];

  constructor(errors: readonly RequestFieldError[]) {
    super(`After-sales request refused: ${describeFieldErrors(errors)}.`);
    this.name = 'AfterSalesRequestRefusedError';
    this.errors = errors;
  }
}

/**
 * Opens a case for a buyer's request: validates it (`validateAfterSalesRequest`, throwing
 * `AfterSalesRequestRefusedError` with every field error), decides fast refund (return-and-refund
 * only, judged against the requested amount) and who pays return postage, and starts in
 * `requested` with the merchant's reply deadline `now + 48 h`.
 */
export function openCase(order: Order, request: AfterSalesRequest, now: number, id: string): AfterSalesCase {
  assertNow(now);
  if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.id) throw new RefusedError(`A case id must be 1–${LIMITS.id} characters.`);
  const checked = validateAfterSalesRequest(order, request, now);
  if (!checked.ok) throw new AfterSalesRequestRefusedError(checked.errors);
  const value = checked.value;
  const fast = value.type === 'return-and-refund' && fastRefund(order, { amount: value.amount }).eligible;
  const base: AfterSalesCase = {
    id,
    orderId: order.id,
    type: value.type,
    request: value,
    state: 'requested',
    createdAt: now,
    deadlines: { merchantReplyBy: now + MERCHANT_REPLY_HOURS * HOUR_MS },
    fastRefundEligible: fast,
    timeline: [{ at: now, type: 'requested', by: 'buyer' }],
  };
  return value.type === 'refund-only' ? base : { ...base, returnPostagePayer: returnPostagePayer(order, value.reason) };
}
