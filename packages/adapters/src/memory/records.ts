import type { AfterSalesCase, Complaint, ConversationEvent, Order, Rating } from '@xiaoer/core';
import type { PhotoMime } from './photos.js';
import type { BackendState } from './state.js';

/** A command that a record completes: after it, a resend of the command is acknowledged, not applied. */
export interface CommandMark {
  readonly conversationId: string;
  readonly commandId: string;
  /** What the ack carries (`{ caseId }`, `{ photoId, url }`), sent again with every re-ack. */
  readonly result?: Readonly<Record<string, unknown>>;
}

/** A message left when nobody could answer, and its answer once an agent gave one. */
export interface LeftMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly buyerId?: string;
  readonly contact: string;
  readonly text: string;
  readonly createdAt: number;
  readonly answer?: { readonly text: string; readonly agent: string; readonly at: number };
}

/** A complaint, as the ticket it becomes. */
export interface Ticket {
  readonly id: string;
  readonly conversationId: string;
  readonly buyerId?: string;
  readonly complaint: Complaint;
  readonly createdAt: number;
}

/** A buyer's rating of one agent session. */
export interface RatingEntry {
  readonly conversationId: string;
  readonly buyerId?: string;
  readonly agentId?: string;
  readonly rating: Rating;
  readonly at: number;
}

/**
 * What the backend writes down so that it can be rebuilt after a restart. Every change is one
 * record, written (by `persist`) before anyone is told about it. Seeds (orders, cases) are the
 * starting point; an `order` or `case` record replaces the seeded value with the same id.
 * Any record may carry `cmd`: the command it completes (the first record a command writes).
 *
 * Records of older versions stay readable: fields added since are optional.
 */
export type BackendRecord = (
  | { t: 'conversation'; id: string; visitorId: string; createdAt: number; locale: string; buyerId?: string; buyerName?: string }
  | { t: 'event'; conversationId: string; seq: number; event: ConversationEvent; commandId?: string }
  | { t: 'command'; conversationId: string; commandId: string; result?: Readonly<Record<string, unknown>> }
  | { t: 'order'; order: Order }
  /** `evidence` maps the request's photo ids to photo tokens; written when the case opens. */
  | { t: 'case'; case: AfterSalesCase; evidence?: Readonly<Record<string, string>> }
  | { t: 'photo'; token: string; conversationId: string; photoId: string; mime: PhotoMime; data: string; createdAt: number }
  | { t: 'ticket'; ticket: Ticket }
  | { t: 'left-message'; message: LeftMessage }
  | { t: 'rating'; entry: RatingEntry }
  | { t: 'faq-feedback'; conversationId: string; messageId: string; faqId: string; helpful: boolean; at: number }
  /** A guest proved they can read an order's contact: this conversation may read that order. */
  | { t: 'guest-grant'; conversationId: string; orderId: string }
) & { cmd?: CommandMark };

function bumpCounter(state: BackendState, id: string): void {
  const match = state.idPattern.exec(id);
  const n = match ? Number.parseInt(match[1]!, 36) : Number.NaN;
  if (Number.isFinite(n)) state.idCounter = Math.max(state.idCounter, n);
}

/** Applies one record to the state. Applying a record twice changes nothing the second time. */
export function applyRecord(state: BackendState, record: BackendRecord): void {
  switch (record.t) {
    case 'conversation': {
      if (state.conversations.has(record.id)) break;
      state.conversations.set(record.id, {
        id: record.id, visitorId: record.visitorId, createdAt: record.createdAt, locale: record.locale,
        ...(record.buyerId ? { buyerId: record.buyerId } : {}),
        ...(record.buyerName ? { buyerName: record.buyerName } : {}),
        events: [], messages: [], commands: new Map(), routing: { phase: 'bot' }, queuedAt: null,
        photos: new Map(), guestOrders: new Set(), sessions: new Map(), ratedSessions: new Set(),
      });
      if (record.buyerId) {
        state.latestByBuyer.set(record.buyerId, record.id);
        if (!state.buyers.has(record.buyerId)) state.buyers.set(record.buyerId, { id: record.buyerId, ...(record.buyerName ? { name: record.buyerName } : {}) });
      } else state.latestAnonymousByVisitor.set(record.visitorId, record.id);
      bumpCounter(state, record.id);
      break;
    }
    case 'command': {
      const c = state.conversations.get(record.conversationId);
      if (c && !c.commands.has(record.commandId)) c.commands.set(record.commandId, record.result);
      break;
    }
    case 'event': {
      const c = state.conversations.get(record.conversationId);
      if (!c || record.seq <= (c.events.at(-1)?.seq ?? 0)) break;
      c.events.push({ seq: record.seq, event: record.event });
      if (record.commandId && !c.commands.has(record.commandId)) c.commands.set(record.commandId, undefined);
      const event = record.event;
      if (event.type === 'message.created') c.messages.push(event.message);
      else if (event.type === 'routing.changed') {
        const wasQueued = c.routing.phase === 'queued';
        c.routing = event.routing;
        if (c.routing.phase === 'queued' && !wasQueued) c.queuedAt = ++state.queueTicket;
        if (c.routing.phase !== 'queued') c.queuedAt = null;
        const r = c.routing;
        if (r.phase === 'agent') {
          c.lastAgentId = r.agent.id;
          if (r.sessionId) {
            c.sessions.set(r.sessionId, { agentId: r.agent.id, ended: false });
            bumpCounter(state, r.sessionId);
          }
        } else if (r.phase === 'ended' && r.sessionId) {
          c.sessions.set(r.sessionId, { agentId: r.agent?.id ?? c.sessions.get(r.sessionId)?.agentId ?? '', ended: true });
        }
      }
      break;
    }
    case 'order':
      state.orders.set(record.order.id, record.order);
      break;
    case 'case':
      state.cases.set(record.case.id, record.case);
      if (record.evidence) state.evidence.set(record.case.id, record.evidence);
      bumpCounter(state, record.case.id);
      break;
    case 'photo': {
      if (!state.photos.has(record.token)) {
        state.photos.set(record.token, { token: record.token, conversationId: record.conversationId, photoId: record.photoId, mime: record.mime, data: record.data });
      }
      state.conversations.get(record.conversationId)?.photos.set(record.photoId, record.token);
      break;
    }
    case 'ticket':
      state.tickets.set(record.ticket.id, record.ticket);
      bumpCounter(state, record.ticket.id);
      break;
    case 'left-message':
      state.leftMessages.set(record.message.id, record.message);
      bumpCounter(state, record.message.id);
      break;
    case 'rating': {
      const { entry } = record;
      state.ratings.set(`${entry.conversationId}\u0000${entry.rating.sessionId}`, entry);
      state.conversations.get(entry.conversationId)?.ratedSessions.add(entry.rating.sessionId);
      break;
    }
    case 'faq-feedback':
      state.faqFeedback.set(`${record.conversationId}\u0000${record.messageId}`, { hitId: record.faqId, helpful: record.helpful, at: record.at });
      break;
    case 'guest-grant':
      state.conversations.get(record.conversationId)?.guestOrders.add(record.orderId);
      break;
  }
  if (record.cmd) {
    const c = state.conversations.get(record.cmd.conversationId);
    if (c && !c.commands.has(record.cmd.commandId)) c.commands.set(record.cmd.commandId, record.cmd.result);
  }
}
