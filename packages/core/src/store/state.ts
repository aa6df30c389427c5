import type { Author, Message } from '../domain/message.js';
import { INITIAL_ROUTING, type RoutingState } from '../domain/routing.js';
import type { Command } from '../protocol/frames.js';
import type { Order } from '../domain/order.js';
import type { AfterSalesCase } from '../domain/after-sales/case.types.js';

export type ConnectionState =
  /** `start()` has not been called yet, or the client was stopped. */
  | { readonly status: 'idle' }
  | { readonly status: 'connecting'; readonly attempt: number }
  /** The session is established: commands flow. */
  | { readonly status: 'online' }
  /** The link is down; the transport retries in `retryInMs` when it says so. */
  | { readonly status: 'offline'; readonly retryInMs?: number };

/** A command the buyer issued that the server has not acknowledged yet. Persisted; survives reloads. */
export interface OutboxEntry {
  /** Client-generated id: the idempotency key, and the message's `clientId` once it is accepted. */
  readonly id: string;
  readonly command: Command;
  /** When the buyer issued it (ms since epoch, client clock). */
  readonly createdAt: number;
  readonly attempts: number;
  /** queued: waiting its turn; sending: on the wire; failed: given up, shown with a manual resend. */
  readonly state: 'queued' | 'sending' | 'failed';
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ClientState {
  /** Local history and outbox have been read from storage. */
  readonly hydrated: boolean;
  readonly visitorId: string | null;
  readonly connection: ConnectionState;
  readonly conversationId: string | null;
  /** The highest event sequence applied. */
  readonly lastSeq: number;
  readonly routing: RoutingState;
  /** Messages the server accepted, ordered by `seq`. */
  readonly messages: readonly Message[];
  /**
   * `messages` starts with the conversation's first message: nothing older is left to load with
   * `loadOlder()`. False until the server has said so (a cache or a resume holds only the latest).
   */
  readonly historyStart: boolean;
  readonly outbox: readonly OutboxEntry[];
  /** Who is typing on the other side right now. */
  readonly typing: Author | null;
  readonly lastError: { readonly code: string; readonly message: string } | null;
  /** The verified buyer of this session; null for an anonymous visitor (no orders then). */
  readonly buyer: { readonly id: string; readonly name?: string } | null;
  /** Whether agents are on duty (business hours); when not, "talk to a person" becomes "leave a message". */
  readonly agentsAvailable: boolean;
  /** Orders the client knows, by id (from lists, look-ups and `order.updated` events). */
  readonly orders: Readonly<Record<string, Order>>;
  /** The buyer's order list as paged so far, newest first. */
  readonly orderList: { readonly ids: readonly string[]; readonly nextCursor: string | null; readonly loaded: boolean };
  /** After-sales cases the client knows, by id. */
  readonly cases: Readonly<Record<string, AfterSalesCase>>;
}

export const INITIAL_STATE: ClientState = {
  hydrated: false,
  visitorId: null,
  connection: { status: 'idle' },
  conversationId: null,
  lastSeq: 0,
  routing: INITIAL_ROUTING,
  messages: [],
  historyStart: false,
  outbox: [],
  typing: null,
  lastError: null,
  buyer: null,
  agentsAvailable: true,
  orders: {},
  orderList: { ids: [], nextCursor: null, loaded: false },
  cases: {},
};

/** What the client keeps in storage about the conversation, to show history before it reconnects. */
export interface ConversationCache {
  readonly conversationId: string;
  readonly lastSeq: number;
  readonly routing: RoutingState;
  readonly messages: readonly Message[];
  readonly orders?: readonly Order[];
  readonly cases?: readonly AfterSalesCase[];
}
