import type { AfterSalesCase, Complaint, ConversationEvent, Order, Rating } from '@xiaoer/core';
import type { PhotoMime } from './photos.js';

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
