import type { AfterSalesCase, Agent, CaseEvent, CaseEventType, ConversationEvent, DeadlineKind, Message, Order, RoutingState } from '@xiaoer/core';
import type { FaqStats } from './faq-stats.js';
import type { LeftMessage, RatingEntry, Ticket } from './records.js';

/** A verified buyer as the desk names them. */
export interface DeskBuyer {
  readonly id: string;
  readonly name?: string;
}

/** A conversation waiting in the queue, as the agent desk lists it. */
export interface QueueItem {
  readonly conversationId: string;
  readonly visitorId: string;
  /** The verified buyer, when the visitor is logged in. */
  readonly buyer?: DeskBuyer;
  readonly position: number;
  /** When the buyer asked for a person (ms since epoch). */
  readonly waitingSince: number;
  /** The buyer's latest message, for a glance. */
  readonly preview: string;
}

export interface DeskConversation {
  readonly id: string;
  readonly visitorId: string;
  readonly buyer?: DeskBuyer;
  readonly routing: RoutingState;
  readonly messages: readonly Message[];
}

/** An order on the desk, with what the shop can do with it now. */
export interface DeskOrder {
  readonly order: Order;
  readonly actions: readonly ('ship' | 'deliver')[];
}

/** A case on the desk: its running deadline, evidence photos (served URLs) and the events the desk may send now. */
export interface DeskCase {
  readonly case: AfterSalesCase;
  readonly deadline?: { readonly kind: DeadlineKind; readonly at: number };
  readonly evidence: readonly { readonly photoId: string; readonly slot: string; readonly url: string }[];
  readonly actions: readonly CaseEventType[];
}

/** Everything the desk shows about one buyer. */
export interface DeskBuyerView {
  readonly buyer: DeskBuyer;
  readonly conversationId?: string;
  readonly orders: readonly DeskOrder[];
  readonly cases: readonly DeskCase[];
}

/** The shop-wide lists: buyers, left messages, complaints, ratings, and what the FAQ misses. */
export interface DeskInbox {
  readonly buyers: readonly DeskBuyer[];
  readonly leftMessages: readonly LeftMessage[];
  readonly tickets: readonly Ticket[];
  readonly ratings: readonly RatingEntry[];
  readonly faqStats: FaqStats;
}

/** Frames from the server to an agent desk. Not part of the buyer protocol. */
export type DeskServerFrame =
  | { kind: 'desk.ready'; agent: Agent; queue: readonly QueueItem[]; mine: readonly DeskConversation[]; inbox: DeskInbox }
  | { kind: 'desk.queue'; queue: readonly QueueItem[] }
  | { kind: 'desk.conversation'; conversation: DeskConversation }
  | { kind: 'desk.event'; conversationId: string; seq: number; event: ConversationEvent }
  | { kind: 'desk.typing'; conversationId: string; on: boolean }
  | { kind: 'desk.buyer'; view: DeskBuyerView }
  | { kind: 'desk.inbox'; inbox: DeskInbox }
  /** A desk action went through (`ref` names what changed). */
  | { kind: 'desk.done'; action: string; ref: string }
  | { kind: 'desk.error'; message: string; reason?: string };

/** Frames from an agent desk to the server. */
export type DeskClientFrame =
  | { kind: 'desk.take'; conversationId: string }
  | { kind: 'desk.reply'; conversationId: string; id: string; text: string }
  | { kind: 'desk.typing'; conversationId: string; on: boolean }
  | { kind: 'desk.end'; conversationId: string }
  /** Shows a buyer's orders and cases (answered with `desk.buyer`, and again whenever they change). */
  | { kind: 'desk.buyer.open'; buyerId: string }
  | { kind: 'desk.order.ship'; orderId: string; carrier: string; waybillNumber: string }
  | { kind: 'desk.order.deliver'; orderId: string }
  /** A merchant event (approve, reject, receive-return, refund, ship-replacement) or the platform's ruling. */
  | { kind: 'desk.case.act'; caseId: string; event: CaseEvent }
  /** Answers a left message in its conversation; `id` makes a resend harmless. */
  | { kind: 'desk.left.answer'; leftMessageId: string; id: string; text: string };
