import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, RefusedError, XiaoerError } from '../../errors.js';
import { DELIVERED_AT, cny, makeOrder, orderAt } from '../order.fixtures.js';
import type { Order } from '../order.js';
import { DAY_MS, HOUR_MS } from '../time.js';
import {
  AfterSalesRequestRefusedError,
  BUYER_SHIP_DAYS,
  ESCALATE_DAYS,
  MERCHANT_RECEIVE_DAYS,
  MERCHANT_REPLY_HOURS,
  acceptedEvents,
  can,
  caseMachine,
  nextDeadline,
  openCase,
  transition,
} from './case.machine.js';
import { AfterSalesCaseSchema, CASE_STATES, type AfterSalesCase, type CaseEvent } from './case.types.js';
import type { AfterSalesRequest } from './request.js';

/** The fake clock: every `now` is an explicit number relative to the case opening. */
const OPEN = DELIVERED_AT + DAY_MS;
const at = (ms: number) => OPEN + ms;

const SHIP: CaseEvent = { type: 'ship-return', carrier: ' SF Express ', trackingNumber: 'SF1234567890' };
const REPLACE: CaseEvent = { type: 'ship-replacement', carrier: 'YTO', trackingNumber: 'YT9876543210' };

const returnRequest: AfterSalesRequest = {
  type: 'return-and-refund',
  lines: [{ lineId: 'L1', quantity: 1 }],
  reason: 'no-longer-needed',
  amount: cny(4500),
  description: '',
  photos: [],
};
const refundOnlyRequest: AfterSalesRequest = {
  type: 'refund-only',
  lines: [{ lineId: 'L1', quantity: 1 }],
  reason: 'quality-problem',
  amount: cny(2000),
  description: 'Seam torn',
  photos: [{ id: 'p1', slot: 'defect-close-up' }],
};
const exchangeRequest: AfterSalesRequest = { ...returnRequest, type: 'exchange', reason: 'size-exchange', amount: cny(0) };

const noFastRefund: Order = makeOrder({ policy: { ...makeOrder().policy, buyerFastRefundEligible: false } });

function open(request: AfterSalesRequest = returnRequest, order: Order = makeOrder()): AfterSalesCase {
  return openCase(order, request, OPEN, 'as_1');
}

/** Applies events in order, each at its own time. */
function run(c: AfterSalesCase, steps: [CaseEvent, number][]): AfterSalesCase {
  return steps.reduce((acc, [event, now]) => transition(acc, event, now), c);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function refused(fn: () => unknown): InvalidTransitionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidTransitionError);
    expect(XiaoerError.isInstance(e) && e.code).toBe('invalid-transition');
    return e as InvalidTransitionError;
  }
  throw new Error('expected an InvalidTransitionError');
}

const approvedReturn = () => transition(open(), { type: 'approve' }, at(HOUR_MS));
const shippedReturn = (order = makeOrder()) => transition(transition(open(returnRequest, order), { type: 'approve' }, at(HOUR_MS)), SHIP, at(DAY_MS));
const rejected = (request = returnRequest) => transition(open(request), { type: 'reject', reason: 'Worn and washed' }, at(2 * HOUR_MS));

describe('the machine map', () => {
  it('targets only known states and gives every way into closed an outcome', () => {
    for (const [state, config] of Object.entries(caseMachine)) {
      for (const [event, t] of Object.entries(config.on)) {
        for (const candidate of Array.isArray(t) ? t : [t]) {
          expect(CASE_STATES, `${state} --${event}-->`).toContain(candidate.target);
          if (candidate.target === 'closed') expect(candidate.outcome, `${state} --${event}--> closed`).toBeDefined();
        }
      }
    }
    expect(caseMachine.closed).toEqual({ final: true, on: {} });
  });
});

describe('openCase', () => {
  it('starts in requested with the merchant reply deadline 48 h out', () => {
    const c = open();
    expect(c.state).toBe('requested');
    expect(c.deadlines).toEqual({ merchantReplyBy: OPEN + MERCHANT_REPLY_HOURS * HOUR_MS });
    expect(c.timeline).toEqual([{ at: OPEN, type: 'requested', by: 'buyer' }]);
    expect(c.orderId).toBe('o_1');
    expect(v.is(AfterSalesCaseSchema, c)).toBe(true);
  });

  it('decides fast refund and return postage from the order', () => {
    expect(open().fastRefundEligible).toBe(true);
    expect(open().returnPostagePayer).toBe('buyer');
    expect(open(returnRequest, noFastRefund).fastRefundEligible).toBe(false);
    const lowLimit = makeOrder({ policy: { ...makeOrder().policy, fastRefund: { eligible: true, maxAmount: cny(4499) } } });
    expect(open(returnRequest, lowLimit).fastRefundEligible).toBe(false);
    expect(open(refundOnlyRequest).fastRefundEligible).toBe(false);
    expect(open(refundOnlyRequest).returnPostagePayer).toBeUndefined();
    expect(open(exchangeRequest).fastRefundEligible).toBe(false);
  });

  it('refuses an invalid request with every field error', () => {
    const bad: AfterSalesRequest = { ...returnRequest, amount: cny(99999), photos: Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, slot: 'other' as const })) };
    let error: unknown;
    try {
      openCase(makeOrder(), bad, OPEN, 'as_1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AfterSalesRequestRefusedError);
    expect(error).toBeInstanceOf(RefusedError);
    const refusal = error as AfterSalesRequestRefusedError;
    expect(refusal.errors.map((e) => e.code)).toEqual(['amount-above-refundable', 'too-many-photos']);
    expect(refusal.message).toBe('After-sales request refused: amount: amount-above-refundable; photos: too-many-photos.');
  });

  it('refuses a case on an order that has shipped but not arrived', () => {
    expect(() => openCase(orderAt('shipped'), refundOnlyRequest, OPEN, 'as_1')).toThrow(AfterSalesRequestRefusedError);
  });

  it('refuses an empty id', () => {
    expect(() => openCase(makeOrder(), returnRequest, OPEN, '')).toThrow(RefusedError);
  });
});

describe('requested', () => {
  it('approve (return-and-refund): awaiting-return with the buyer ship deadline 7 days out', () => {
    const c = approvedReturn();
    expect(c.state).toBe('awaiting-return');
    expect(c.deadlines).toEqual({ buyerShipBy: at(HOUR_MS) + BUYER_SHIP_DAYS * DAY_MS });
    expect(c.timeline.at(-1)).toEqual({ at: at(HOUR_MS), type: 'approved', by: 'merchant' });
  });

  it('approve (refund-only): approved, waiting for the refund', () => {
    const c = transition(open(refundOnlyRequest), { type: 'approve' }, at(HOUR_MS));
    expect(c.state).toBe('approved');
    expect(c.deadlines).toEqual({});
  });

  it('reject: rejected with the reason and the escalation window 7 days out', () => {
    const c = rejected();
    expect(c.state).toBe('rejected');
    expect(c.rejection).toEqual({ at: at(2 * HOUR_MS), reason: 'Worn and washed' });
    expect(c.deadlines).toEqual({ escalateBy: at(2 * HOUR_MS) + ESCALATE_DAYS * DAY_MS });
    expect(c.timeline.at(-1)).toEqual({ at: at(2 * HOUR_MS), type: 'rejected', by: 'merchant', note: 'Worn and washed' });
  });

  it('reject needs a reason', () => {
    const e = refused(() => transition(open(), { type: 'reject', reason: '   ' }, at(HOUR_MS)));
    expect(e.message).toContain('invalid');
    expect(e.message).toContain('reason');
  });

  it('reject is refused once the merchant reply deadline is reached', () => {
    const e = refused(() => transition(open(), { type: 'reject', reason: 'Too late' }, at(MERCHANT_REPLY_HOURS * HOUR_MS)));
    expect(e.message).toContain("guard 'beforeDeadline' failed");
    expect(e.message).toContain('merchant reply deadline passed');
  });

  it('timeout one millisecond before the merchant deadline is refused', () => {
    const e = refused(() => transition(open(), { type: 'timeout' }, at(MERCHANT_REPLY_HOURS * HOUR_MS - 1)));
    expect(e.message).toContain("guard 'deadlinePassed' failed");
  });

  it('timeout at the merchant deadline auto-approves (return → awaiting-return)', () => {
    const deadline = at(MERCHANT_REPLY_HOURS * HOUR_MS);
    const c = transition(open(), { type: 'timeout' }, deadline);
    expect(c.state).toBe('awaiting-return');
    expect(c.deadlines.buyerShipBy).toBe(deadline + BUYER_SHIP_DAYS * DAY_MS);
    expect(c.timeline.at(-1)).toEqual({ at: deadline, type: 'auto-approved', by: 'system' });
  });

  it('timeout at the merchant deadline auto-approves (refund-only → approved)', () => {
    const c = transition(open(refundOnlyRequest), { type: 'timeout' }, at(MERCHANT_REPLY_HOURS * HOUR_MS));
    expect(c.state).toBe('approved');
  });

  it('ship-return is illegal in requested, and the message names state and event', () => {
    const e = refused(() => transition(open(), SHIP, at(HOUR_MS)));
    expect(e.message).toBe(
      "After-sales case as_1: cannot 'ship-return' in state 'requested': state 'requested' does not accept 'ship-return' (it accepts 'approve', 'reject', 'timeout', 'withdraw').",
    );
  });

  it('withdraw closes the case as withdrawn', () => {
    const c = transition(open(), { type: 'withdraw', note: 'Found it' }, at(HOUR_MS));
    expect(c.state).toBe('closed');
    expect(c.outcome).toBe('withdrawn');
    expect(c.deadlines).toEqual({});
    expect(c.timeline.at(-1)).toEqual({ at: at(HOUR_MS), type: 'withdrawn', by: 'buyer', note: 'Found it' });
  });
});

describe('refund-only path', () => {
  it('approved → refund → refunded → close → closed (refunded)', () => {
    const approved = transition(open(refundOnlyRequest), { type: 'approve' }, at(HOUR_MS));
    const refunded = transition(approved, { type: 'refund' }, at(2 * HOUR_MS));
    expect(refunded.state).toBe('refunded');
    expect(refunded.refund).toEqual({ amount: cny(2000), paidAt: at(2 * HOUR_MS), fast: false });
    const closed = transition(refunded, { type: 'close' }, at(3 * HOUR_MS));
    expect(closed.state).toBe('closed');
    expect(closed.outcome).toBe('refunded');
    expect(closed.timeline.map((t) => t.type)).toEqual(['requested', 'approved', 'refund-paid', 'closed']);
  });

  it('withdraw is allowed while approved', () => {
    const approved = transition(open(refundOnlyRequest), { type: 'approve' }, at(HOUR_MS));
    expect(transition(approved, { type: 'withdraw' }, at(2 * HOUR_MS)).outcome).toBe('withdrawn');
  });

  it('a refunded case cannot be refunded again or withdrawn', () => {
    const refunded = run(open(refundOnlyRequest), [[{ type: 'approve' }, at(1)], [{ type: 'refund' }, at(2)]]);
    refused(() => transition(refunded, { type: 'refund' }, at(3)));
    refused(() => transition(refunded, { type: 'withdraw' }, at(3)));
  });
});

describe('awaiting-return', () => {
  it('ship-return records the parcel (trimmed) and the merchant receipt deadline 10 days out', () => {
    const c = shippedReturn(noFastRefund);
    expect(c.state).toBe('return-shipped');
    expect(c.returnShipment).toEqual({ carrier: 'SF Express', trackingNumber: 'SF1234567890', shippedAt: at(DAY_MS) });
    expect(c.deadlines).toEqual({ merchantReceiveBy: at(DAY_MS) + MERCHANT_RECEIVE_DAYS * DAY_MS });
    expect(c.refund).toBeUndefined();
  });

  it('ship-return refuses an empty carrier, a blank tracking number and an over-long one', () => {
    const c = approvedReturn();
    for (const event of [
      { type: 'ship-return', carrier: '', trackingNumber: 'SF1' },
      { type: 'ship-return', carrier: 'SF', trackingNumber: '   ' },
      { type: 'ship-return', carrier: 'SF', trackingNumber: 'X'.repeat(41) },
      { type: 'ship-return', carrier: 'S'.repeat(51), trackingNumber: 'SF1' },
    ] as CaseEvent[]) {
      const e = refused(() => transition(c, event, at(DAY_MS)));
      expect(e.message).toContain('the event is invalid');
    }
  });

  it('ship-return is refused once the buyer deadline is reached', () => {
    const c = approvedReturn();
    const e = refused(() => transition(c, SHIP, c.deadlines.buyerShipBy!));
    expect(e.message).toContain('buyer shipping deadline passed');
    expect(transition(c, SHIP, c.deadlines.buyerShipBy! - 1).state).toBe('return-shipped');
  });

  it('timeout at the buyer deadline closes the case (buyer did not ship); earlier it is refused', () => {
    const c = approvedReturn();
    const deadline = c.deadlines.buyerShipBy!;
    refused(() => transition(c, { type: 'timeout' }, deadline - 1));
    const closed = transition(c, { type: 'timeout' }, deadline);
    expect(closed.state).toBe('closed');
    expect(closed.outcome).toBe('buyer-did-not-ship');
    expect(closed.timeline.at(-1)).toEqual({ at: deadline, type: 'return-not-shipped', by: 'system' });
  });

  it('withdraw is allowed before shipping the return', () => {
    expect(transition(approvedReturn(), { type: 'withdraw' }, at(DAY_MS)).outcome).toBe('withdrawn');
  });
});

describe('fast refund', () => {
  it('pays the refund when the buyer ships the return, before the merchant confirms receipt', () => {
    const c = shippedReturn();
    expect(c.state).toBe('return-shipped');
    expect(c.refund).toEqual({ amount: cny(4500), paidAt: at(DAY_MS), fast: true });
    expect(c.timeline.slice(-2)).toEqual([
      { at: at(DAY_MS), type: 'return-shipped', by: 'buyer' },
      { at: at(DAY_MS), type: 'fast-refund-paid', by: 'platform' },
    ]);
    expect(c.timeline.some((t) => t.type === 'return-received')).toBe(false);
  });

  it('receipt then finishes the case as refunded without paying twice', () => {
    const received = transition(shippedReturn(), { type: 'receive-return' }, at(3 * DAY_MS));
    expect(received.state).toBe('refunded');
    expect(received.refund).toEqual({ amount: cny(4500), paidAt: at(DAY_MS), fast: true });
    refused(() => transition(received, { type: 'refund' }, at(3 * DAY_MS)));
    expect(transition(received, { type: 'close' }, at(4 * DAY_MS)).outcome).toBe('refunded');
  });

  it('without eligibility the refund waits for receipt', () => {
    const received = transition(shippedReturn(noFastRefund), { type: 'receive-return' }, at(3 * DAY_MS));
    expect(received.state).toBe('return-received');
    expect(received.refund).toBeUndefined();
    const refunded = transition(received, { type: 'refund' }, at(4 * DAY_MS));
    expect(refunded.state).toBe('refunded');
    expect(refunded.refund).toEqual({ amount: cny(4500), paidAt: at(4 * DAY_MS), fast: false });
  });
});

describe('return-shipped', () => {
  it('withdraw is refused once the return is on its way', () => {
    const e = refused(() => transition(shippedReturn(), { type: 'withdraw' }, at(2 * DAY_MS)));
    expect(e.message).toContain("does not accept 'withdraw'");
  });

  it('timeout at the receipt deadline assumes receipt and refunds (no fast refund)', () => {
    const c = shippedReturn(noFastRefund);
    const deadline = c.deadlines.merchantReceiveBy!;
    refused(() => transition(c, { type: 'timeout' }, deadline - 1));
    const next = transition(c, { type: 'timeout' }, deadline);
    expect(next.state).toBe('refunded');
    expect(next.refund).toEqual({ amount: cny(4500), paidAt: deadline, fast: false });
    expect(next.timeline.slice(-2)).toEqual([
      { at: deadline, type: 'auto-received', by: 'system' },
      { at: deadline, type: 'refund-paid', by: 'system' },
    ]);
  });

  it('timeout at the receipt deadline after a fast refund does not pay again', () => {
    const c = shippedReturn();
    const next = transition(c, { type: 'timeout' }, c.deadlines.merchantReceiveBy!);
    expect(next.state).toBe('refunded');
    expect(next.refund?.paidAt).toBe(at(DAY_MS));
    expect(next.timeline.filter((t) => t.type === 'refund-paid' || t.type === 'fast-refund-paid')).toHaveLength(1);
  });
});

describe('exchange path', () => {
  it('approve → ship-return → receive-return → ship-replacement → confirm-replacement → closed (exchanged)', () => {
    const c = run(open(exchangeRequest), [
      [{ type: 'approve' }, at(HOUR_MS)],
      [SHIP, at(DAY_MS)],
      [{ type: 'receive-return' }, at(3 * DAY_MS)],
    ]);
    expect(c.state).toBe('return-received');
    expect(c.refund).toBeUndefined();
    refused(() => transition(c, { type: 'refund' }, at(3 * DAY_MS)));
    const shipped = transition(c, REPLACE, at(4 * DAY_MS));
    expect(shipped.state).toBe('replacement-shipped');
    expect(shipped.replacementShipment).toEqual({ carrier: 'YTO', trackingNumber: 'YT9876543210', shippedAt: at(4 * DAY_MS) });
    const closed = transition(shipped, { type: 'confirm-replacement' }, at(6 * DAY_MS));
    expect(closed).toMatchObject({ state: 'closed', outcome: 'exchanged' });
    expect(closed.timeline.map((t) => `${t.type}/${t.by}`)).toEqual([
      'requested/buyer',
      'approved/merchant',
      'return-shipped/buyer',
      'return-received/merchant',
      'replacement-shipped/merchant',
      'replacement-confirmed/buyer',
    ]);
    expect(v.is(AfterSalesCaseSchema, closed)).toBe(true);
  });

  it('never pays a fast refund for an exchange', () => {
    const c = run(open(exchangeRequest), [[{ type: 'approve' }, at(1)], [SHIP, at(2)]]);
    expect(c.refund).toBeUndefined();
  });

  it('timeout at the receipt deadline assumes receipt and waits for the replacement', () => {
    const c = run(open(exchangeRequest), [[{ type: 'approve' }, at(1)], [SHIP, at(2)]]);
    const next = transition(c, { type: 'timeout' }, c.deadlines.merchantReceiveBy!);
    expect(next.state).toBe('return-received');
    expect(next.refund).toBeUndefined();
  });

  it('a return-and-refund case cannot ship a replacement', () => {
    const received = transition(shippedReturn(noFastRefund), { type: 'receive-return' }, at(3 * DAY_MS));
    const e = refused(() => transition(received, REPLACE, at(4 * DAY_MS)));
    expect(e.message).toContain("guard 'isExchange' failed");
  });
});

describe('rejection, escalation and mediation', () => {
  it('escalate within the window opens mediation', () => {
    const r = rejected();
    const c = transition(r, { type: 'escalate', note: 'It arrived like this' }, r.deadlines.escalateBy! - 1);
    expect(c.state).toBe('escalated');
    expect(c.mediation).toEqual({ openedAt: r.deadlines.escalateBy! - 1 });
    expect(c.deadlines).toEqual({});
    expect(c.timeline.at(-1)).toMatchObject({ type: 'escalated', by: 'buyer', note: 'It arrived like this' });
  });

  it('escalate exactly 7 days after the rejection is refused', () => {
    const r = rejected();
    expect(r.deadlines.escalateBy).toBe(at(2 * HOUR_MS) + 7 * DAY_MS);
    const e = refused(() => transition(r, { type: 'escalate' }, r.deadlines.escalateBy!));
    expect(e.message).toContain("guard 'withinEscalationWindow' failed");
    expect(e.message).toContain('7-day escalation window closed');
  });

  it('timeout at the end of the window closes the case as rejected', () => {
    const r = rejected();
    refused(() => transition(r, { type: 'timeout' }, r.deadlines.escalateBy! - 1));
    const c = transition(r, { type: 'timeout' }, r.deadlines.escalateBy!);
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected' });
    expect(c.timeline.at(-1)).toEqual({ at: r.deadlines.escalateBy, type: 'escalation-expired', by: 'system' });
  });

  it('a ruling for the buyer puts a return case back on the approved path (awaiting-return)', () => {
    const escalated = transition(rejected(), { type: 'escalate' }, at(DAY_MS));
    const c = transition(escalated, { type: 'rule', ruling: 'for-buyer' }, at(3 * DAY_MS));
    expect(c.state).toBe('awaiting-return');
    expect(c.mediation).toEqual({ openedAt: at(DAY_MS), ruling: 'for-buyer', ruledAt: at(3 * DAY_MS) });
    expect(c.deadlines).toEqual({ buyerShipBy: at(3 * DAY_MS) + BUYER_SHIP_DAYS * DAY_MS });
    expect(c.timeline.at(-1)).toEqual({ at: at(3 * DAY_MS), type: 'ruled-for-buyer', by: 'platform' });
    // …and the case continues to a refund.
    const done = run(c, [[SHIP, at(4 * DAY_MS)], [{ type: 'receive-return' }, at(5 * DAY_MS)]]);
    expect(done.state).toBe('refunded');
  });

  it('a ruling for the buyer approves a refund-only case', () => {
    const escalated = transition(rejected(refundOnlyRequest), { type: 'escalate' }, at(DAY_MS));
    expect(transition(escalated, { type: 'rule', ruling: 'for-buyer' }, at(2 * DAY_MS)).state).toBe('approved');
  });

  it('a ruling for the merchant closes the case as rejected', () => {
    const escalated = transition(rejected(), { type: 'escalate' }, at(DAY_MS));
    const c = transition(escalated, { type: 'rule', ruling: 'for-merchant' }, at(2 * DAY_MS));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected', mediation: { ruling: 'for-merchant' } });
  });

  it('refuses an unknown ruling', () => {
    const escalated = transition(rejected(), { type: 'escalate' }, at(DAY_MS));
    const e = refused(() => transition(escalated, { type: 'rule', ruling: 'split' } as unknown as CaseEvent, at(2 * DAY_MS)));
    expect(e.message).toContain('the event is invalid');
  });

  it('withdraw is allowed from rejected but not during mediation', () => {
    expect(transition(rejected(), { type: 'withdraw' }, at(DAY_MS)).outcome).toBe('withdrawn');
    const escalated = transition(rejected(), { type: 'escalate' }, at(DAY_MS));
    refused(() => transition(escalated, { type: 'withdraw' }, at(2 * DAY_MS)));
  });
});

describe('closed', () => {
  it('accepts nothing', () => {
    const closed = transition(open(), { type: 'withdraw' }, at(1));
    for (const event of [{ type: 'approve' }, { type: 'withdraw' }, { type: 'timeout' }, { type: 'close' }] as CaseEvent[]) {
      const e = refused(() => transition(closed, event, at(2)));
      expect(e.message).toContain("state 'closed' is final");
    }
  });
});

describe('purity', () => {
  it('never changes the case it is given', () => {
    const c = deepFreeze(approvedReturn());
    const snapshot = structuredClone(c);
    const next = transition(c, SHIP, at(DAY_MS));
    expect(next).not.toBe(c);
    expect(c).toEqual(snapshot);
  });

  it('gives the same result for the same case, event and now', () => {
    expect(transition(approvedReturn(), SHIP, at(DAY_MS))).toEqual(transition(approvedReturn(), SHIP, at(DAY_MS)));
  });

  it('refuses an event that is not an object', () => {
    refused(() => transition(open(), 'approve' as unknown as CaseEvent, at(1)));
  });

  it('refuses a bad now', () => {
    expect(() => transition(open(), { type: 'approve' }, Number.POSITIVE_INFINITY)).toThrow(RefusedError);
  });
});

describe('can, acceptedEvents and nextDeadline', () => {
  it('can answers without throwing, by type or by full event', () => {
    const c = open();
    expect(can(c, 'approve', at(1))).toBe(true);
    expect(can(c, 'ship-return', at(1))).toBe(false);
    expect(can(c, 'timeout', at(1))).toBe(false);
    expect(can(c, 'timeout', c.deadlines.merchantReplyBy!)).toBe(true);
    expect(can(c, { type: 'reject', reason: '' }, at(1))).toBe(false);
    expect(can(c, { type: 'reject', reason: 'No' }, at(1))).toBe(true);
  });

  it('can treats payload guards as passing when given only a type', () => {
    const escalated = transition(rejected(), { type: 'escalate' }, at(DAY_MS));
    expect(can(escalated, 'rule', at(2 * DAY_MS))).toBe(true);
    expect(can(escalated, { type: 'rule', ruling: 'for-merchant' }, at(2 * DAY_MS))).toBe(true);
  });

  it('lists the events accepted now', () => {
    const c = open();
    expect(acceptedEvents(c, at(1))).toEqual(['approve', 'reject', 'withdraw']);
    expect(acceptedEvents(c, c.deadlines.merchantReplyBy!)).toEqual(['approve', 'timeout', 'withdraw']);
    expect(acceptedEvents(shippedReturn(), at(2 * DAY_MS))).toEqual(['receive-return']);
  });

  it('gives the deadline the current state runs against', () => {
    expect(nextDeadline(open())).toEqual({ kind: 'merchantReplyBy', at: OPEN + 48 * HOUR_MS });
    expect(nextDeadline(approvedReturn())).toEqual({ kind: 'buyerShipBy', at: at(HOUR_MS) + 7 * DAY_MS });
    expect(nextDeadline(shippedReturn())).toEqual({ kind: 'merchantReceiveBy', at: at(DAY_MS) + 10 * DAY_MS });
    expect(nextDeadline(rejected())).toEqual({ kind: 'escalateBy', at: at(2 * HOUR_MS) + 7 * DAY_MS });
    expect(nextDeadline(transition(open(refundOnlyRequest), { type: 'approve' }, at(1)))).toBeUndefined();
    expect(nextDeadline(transition(open(), { type: 'withdraw' }, at(1)))).toBeUndefined();
  });
});

describe('AfterSalesCaseSchema', () => {
  it('accepts every case the machine produces and rejects an unknown state', () => {
    const cases = [open(), approvedReturn(), shippedReturn(), rejected(), transition(rejected(), { type: 'escalate' }, at(DAY_MS))];
    for (const c of cases) expect(v.is(AfterSalesCaseSchema, c), c.state).toBe(true);
    expect(v.is(AfterSalesCaseSchema, { ...open(), state: 'lost' })).toBe(false);
  });
});
