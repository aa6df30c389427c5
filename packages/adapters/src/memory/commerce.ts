import {
  AfterSalesRequestRefusedError,
  InvalidTransitionError,
  XiaoerError,
  cancelOrder,
  changeAddress,
  nextDeadline,
  openCase,
  transition,
  validateAddress,
  validateAfterSalesRequest,
  type AfterSalesCase,
  type AfterSalesRequest,
  type CaseEvent,
  type Command,
  type Order,
  type Query,
  type QueryResults,
  type WireError,
} from '@xiaoer/core';
import { recordRefund } from './merchant.js';
import { addressChangedNotice, cancelledNotice, caseNotice } from './notices.js';
import { LOGIN_REQUIRED, NOT_FOUND, done, fail, fields, refuse, type Outcome } from './outcome.js';
import type { BackendState, Context, Conversation, Session } from './state.js';

export type CommerceCommand = Extract<Command, { type: 'order.change-address' | 'order.cancel' | 'case.open' | 'case.act' | 'guest.code.request' }>;
export type CommerceQuery = Extract<Query, { type: 'orders.list' | 'order.get' | 'cases.list' | 'guest.order' }>;

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `****${digits.length > 4 ? digits.slice(-4) : ''}`;
}

/** An order as a guest sees it: read-only, with the recipient's name and phone masked. */
function guestView(order: Order): Order {
  const name = order.address.name;
  return { ...order, address: { ...order.address, name: `${[...name][0] ?? ''}**`, phone: maskPhone(order.address.phone) } };
}

function ownOrder(state: BackendState, session: Session, orderId: string): Order | undefined {
  const order = state.orders.get(orderId);
  return order && session.buyerId !== null && order.buyerId === session.buyerId ? order : undefined;
}

/** The buyer's own order, or one a guest unlocked in this conversation. */
export function readableOrder(state: BackendState, session: Session, conversation: Conversation, orderId: string): Order | undefined {
  return ownOrder(state, session, orderId) ?? (conversation.guestOrders.has(orderId) ? state.orders.get(orderId) : undefined);
}

function ownCase(state: BackendState, session: Session, caseId: string): AfterSalesCase | undefined {
  const c = state.cases.get(caseId);
  const order = c ? state.orders.get(c.orderId) : undefined;
  return c && order && session.buyerId !== null && order.buyerId === session.buyerId ? c : undefined;
}

/** A buyer's orders, newest first. */
export function ordersOf(state: BackendState, buyerId: string): Order[] {
  return [...state.orders.values()].filter((o) => o.buyerId === buyerId).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

/** A buyer's cases, newest first. */
export function casesOf(state: BackendState, buyerId: string): AfterSalesCase[] {
  return [...state.cases.values()]
    .filter((c) => state.orders.get(c.orderId)?.buyerId === buyerId)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

/** Stores a changed order and tells its buyer: `order.updated` and a notice that opens it. */
export function updateOrder(ctx: Context, next: Order, notice: (order: Order, locale: string) => string): void {
  const { ledger } = ctx;
  ledger.record({ t: 'order', order: next });
  const conversation = ledger.conversationForBuyer(next.buyerId);
  ledger.appendEvent(conversation, { type: 'order.updated', order: next });
  ledger.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: notice(next, conversation.locale), ref: { type: 'order', id: next.id } });
  ctx.notify.buyer(next.buyerId);
}

/**
 * Stores a new or moved case and tells its buyer: `case.updated`, a notice that opens it, and
 * the order too when the move paid a refund.
 */
export function updateCase(ctx: Context, before: AfterSalesCase | undefined, next: AfterSalesCase, evidence?: Readonly<Record<string, string>>): void {
  const { ledger } = ctx;
  ledger.record({ t: 'case', case: next, ...(evidence ? { evidence } : {}) });
  let order = ctx.state.orders.get(next.orderId);
  if (!order) return;
  const conversation = ledger.conversationForBuyer(order.buyerId);
  if (next.refund && !before?.refund) {
    order = recordRefund(order, next.refund.amount.amount, next.request.lines.map((l) => l.lineId));
    ledger.record({ t: 'order', order });
    ledger.appendEvent(conversation, { type: 'order.updated', order });
  }
  ledger.appendEvent(conversation, { type: 'case.updated', case: next });
  ledger.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: caseNotice(next, before, conversation.locale), ref: { type: 'case', id: next.id } });
  ctx.notify.buyer(order.buyerId);
}

/** Applies every passed case deadline (see `SupportBackend.tick`). Returns the cases that moved. */
export function tick(ctx: Context, now: number): string[] {
  const moved: string[] = [];
  for (const c of [...ctx.state.cases.values()]) {
    const deadline = nextDeadline(c);
    if (!deadline || deadline.at > now) continue;
    let next: AfterSalesCase;
    try {
      next = transition(c, { type: 'timeout' }, now);
    } catch {
      continue;
    }
    updateCase(ctx, c, next);
    moved.push(c.id);
  }
  return moved;
}

/**
 * Why a case request the frame schema refused is invalid, field by field by core's request rules —
 * or null when the request is not the buyer's own case request, or core finds nothing wrong.
 */
export function explainCaseRequest(state: BackendState, session: Session | null, orderId: string, request: AfterSalesRequest, now: () => number): WireError | null {
  if (!session?.buyerId) return null;
  const order = state.orders.get(orderId);
  if (!order || order.buyerId !== session.buyerId) return null;
  const checked = validateAfterSalesRequest(order, request, now());
  return checked.ok ? null : refuse('refused', 'the after-sales request is not valid', { reason: 'request-invalid', fields: fields(checked.errors) });
}

export function runCommerceCommand(ctx: Context, session: Session, conversation: Conversation, commandId: string, command: CommerceCommand, now: number): Outcome {
  const { state, ledger } = ctx;
  switch (command.type) {
    case 'order.change-address':
    case 'order.cancel': {
      if (!session.buyerId) return LOGIN_REQUIRED();
      const order = ownOrder(state, session, command.orderId);
      if (!order) return NOT_FOUND('order');
      let next: Order;
      try {
        next = command.type === 'order.cancel' ? cancelOrder(order, now) : changeAddress(order, command.address, now);
      } catch (error) {
        if (!XiaoerError.isInstance(error)) throw error;
        const invalid = command.type === 'order.change-address' ? validateAddress(command.address) : null;
        return fail('refused', error.message, {
          ...(error.reason ? { reason: error.reason } : {}),
          ...(invalid && !invalid.ok ? { fields: fields(invalid.errors.map((e) => ({ path: e.field, code: e.code }))) } : {}),
        });
      }
      ledger.accept(conversation, commandId);
      updateOrder(ctx, next, command.type === 'order.cancel' ? cancelledNotice : addressChangedNotice);
      return done(undefined);
    }

    case 'case.open': {
      if (!session.buyerId) return LOGIN_REQUIRED();
      const order = ownOrder(state, session, command.orderId);
      if (!order) return NOT_FOUND('order');
      const active = [...state.cases.values()].find((c) => c.orderId === order.id && c.state !== 'closed');
      if (active) return fail('refused', `case ${active.id} for this order is still open`, { reason: 'case-already-open' });
      // Evidence must be this conversation's own uploads: never another buyer's photo.
      const errors: { path: string; code: string }[] = [];
      command.request.photos.forEach((p, i) => {
        if (!conversation.photos.has(p.id)) errors.push({ path: `photos[${i}].id`, code: 'unknown-photo' });
      });
      let opened: AfterSalesCase | null = null;
      const id = ledger.newId('AS');
      try {
        opened = openCase(order, command.request, now, id);
      } catch (error) {
        if (!(error instanceof AfterSalesRequestRefusedError)) throw error;
        errors.unshift(...error.errors);
      }
      if (!opened || errors.length > 0) return fail('refused', 'the after-sales request is not valid', { reason: 'request-invalid', fields: fields(errors) });
      const evidence: Record<string, string> = {};
      for (const p of opened.request.photos) evidence[p.id] = conversation.photos.get(p.id)!;
      ledger.accept(conversation, commandId, { caseId: id });
      updateCase(ctx, undefined, opened, evidence);
      return done({ caseId: id });
    }

    case 'case.act': {
      if (!session.buyerId) return LOGIN_REQUIRED();
      const current = ownCase(state, session, command.caseId);
      if (!current) return NOT_FOUND('case');
      let next: AfterSalesCase;
      try {
        next = transition(current, command.event as CaseEvent, now);
      } catch (error) {
        if (error instanceof InvalidTransitionError) return fail('invalid-transition', error.message);
        throw error;
      }
      ledger.accept(conversation, commandId);
      updateCase(ctx, current, next);
      return done(undefined);
    }

    case 'guest.code.request': {
      const wait = state.guestCodes.admit(conversation.id, command.orderId, now);
      if (wait !== null) return fail('rate-limited', 'too many codes asked for; try again later', { retryable: true, retryAfterMs: wait });
      ledger.accept(conversation, commandId);
      // The same answer whether or not the order exists: the ack says nothing about it.
      const order = state.orders.get(command.orderId);
      if (order) {
        const code = state.guestCodes.issue(conversation.id, order.id, now);
        ctx.config.onGuestCode?.({ orderId: order.id, code, contact: order.contact ?? {}, conversationId: conversation.id });
      }
      return done(undefined);
    }
  }
}

export function runCommerceQuery(ctx: Context, session: Session, conversation: Conversation, query: CommerceQuery): Outcome<unknown> {
  const { state } = ctx;
  switch (query.type) {
    case 'orders.list': {
      if (!session.buyerId) return LOGIN_REQUIRED();
      const all = ordersOf(state, session.buyerId);
      let start = 0;
      if (query.cursor !== undefined) {
        const at = all.findIndex((o) => o.id === query.cursor);
        if (at < 0) return fail('refused', 'unknown cursor', { reason: 'invalid-cursor' });
        start = at + 1;
      }
      const limit = query.limit ?? 20;
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return done<QueryResults['orders.list']>({ orders: page, nextCursor: more && page.length > 0 ? page.at(-1)!.id : null });
    }
    case 'order.get': {
      const own = session.buyerId ? ownOrder(state, session, query.orderId) : undefined;
      if (own) return done<QueryResults['order.get']>({ order: own });
      const guest = conversation.guestOrders.has(query.orderId) ? state.orders.get(query.orderId) : undefined;
      if (guest) return done<QueryResults['order.get']>({ order: guestView(guest) });
      return session.buyerId ? NOT_FOUND('order') : LOGIN_REQUIRED();
    }
    case 'cases.list': {
      if (!session.buyerId) return LOGIN_REQUIRED();
      return done<QueryResults['cases.list']>({ cases: casesOf(state, session.buyerId).slice(0, 200) });
    }
    case 'guest.order': {
      const verdict = state.guestCodes.verify(conversation.id, query.orderId, query.code, ctx.config.now());
      if (!verdict.ok) {
        const message = verdict.reason === 'code-expired' ? 'the code has expired; ask for a new one' : verdict.reason === 'too-many-attempts' ? 'too many wrong codes; ask for a new one' : 'the code is not right';
        return fail('refused', message, { reason: verdict.reason });
      }
      const order = state.orders.get(query.orderId);
      if (!order) return fail('refused', 'the code is not right', { reason: 'code-invalid' });
      if (!conversation.guestOrders.has(order.id)) ctx.ledger.record({ t: 'guest-grant', conversationId: conversation.id, orderId: order.id });
      return done<QueryResults['guest.order']>({ order: guestView(order) });
    }
  }
}
