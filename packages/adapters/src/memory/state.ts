import type { AfterSalesCase, Agent, ConversationEvent, FaqEntry, Message, Order, OrderContact, RoutingState, ServerFrame } from '@xiaoer/core';
import type { FaqIndex } from '@xiaoer/core/faq';
import type { DeskBuyer, DeskServerFrame } from './desk-protocol.js';
import type { LeftMessage, RatingEntry, Ticket } from './records.js';
import type { PhotoMime } from './photos.js';
import { GuestCodes } from './guest-codes.js';
import type { Ledger } from './ledger.js';

export interface Conversation {
  readonly id: string;
  readonly visitorId: string;
  readonly createdAt: number;
  readonly locale: string;
  readonly buyerId?: string;
  readonly buyerName?: string;
  readonly events: { seq: number; event: ConversationEvent }[];
  readonly messages: Message[];
  /** Applied command ids, each with the result its ack carries. */
  readonly commands: Map<string, Readonly<Record<string, unknown>> | undefined>;
  routing: RoutingState;
  /** When it joined the queue, while queued. */
  queuedAt: number | null;
  /** Photos this conversation uploaded: client photo id → token. */
  readonly photos: Map<string, string>;
  /** Orders a guest unlocked with a one-time code. */
  readonly guestOrders: Set<string>;
  /** Agent sessions: id → agent and whether it ended. */
  readonly sessions: Map<string, { agentId: string; ended: boolean }>;
  readonly ratedSessions: Set<string>;
  /** The agent of the latest session: their desk follows the conversation. */
  lastAgentId?: string;
}

export interface StoredPhoto {
  readonly token: string;
  /** Empty for a seed photo. */
  readonly conversationId: string;
  readonly photoId: string;
  readonly mime: PhotoMime;
  readonly data: string;
  bytes?: Uint8Array;
}

/** One buyer connection's session: its conversation and who it is (null: anonymous visitor). */
export interface Session {
  readonly conversationId: string;
  readonly buyerId: string | null;
  /** When the signed identity the session was opened with expires (absent: anonymous or trusted). */
  readonly identityExpires?: number;
}

export interface DeskState {
  readonly agent: Agent;
  /** The buyer whose orders and cases this desk shows. */
  buyerId: string | null;
}

export type Sink<F> = (frame: F) => void;

/** The backend's options with their defaults filled in. */
export interface Config {
  readonly now: () => number;
  readonly faqEntries: readonly FaqEntry[];
  readonly faq: FaqIndex;
  readonly agents: readonly Agent[];
  readonly isOpen: (now: number) => boolean;
  readonly averageHandleSeconds: number;
  readonly photoUrl: (token: string) => string;
  /** How long before a session's signed identity expires the client is told to renew it. */
  readonly identityWarningMs: number;
  readonly onGuestCode?: (info: { orderId: string; code: string; contact: OrderContact; conversationId: string }) => void;
}

/**
 * Everything the backend knows, in one place: what records rebuild (conversations, the shop) and
 * who is connected right now (sinks and desks, which no record holds).
 */
export interface BackendState {
  readonly conversations: Map<string, Conversation>;
  readonly latestAnonymousByVisitor: Map<string, string>;
  readonly latestByBuyer: Map<string, string>;
  readonly buyers: Map<string, DeskBuyer>;
  readonly orders: Map<string, Order>;
  readonly cases: Map<string, AfterSalesCase>;
  readonly evidence: Map<string, Readonly<Record<string, string>>>;
  readonly photos: Map<string, StoredPhoto>;
  readonly tickets: Map<string, Ticket>;
  readonly leftMessages: Map<string, LeftMessage>;
  readonly ratings: Map<string, RatingEntry>;
  readonly faqFeedback: Map<string, { hitId: string; helpful: boolean; at: number }>;
  readonly guestCodes: GuestCodes;
  readonly buyerSinks: Map<string, Set<Sink<ServerFrame>>>;
  readonly desks: Map<Sink<DeskServerFrame>, DeskState>;
  /** Ids this backend issued end in `<prefix>-<counter>`; restored records push the counter past theirs. */
  readonly idPrefix: string;
  readonly idPattern: RegExp;
  idCounter: number;
  /** Issued in the order conversations join the queue: first come, first served. */
  queueTicket: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createState(idPrefix: string): BackendState {
  return {
    conversations: new Map(),
    latestAnonymousByVisitor: new Map(),
    latestByBuyer: new Map(),
    buyers: new Map(),
    orders: new Map(),
    cases: new Map(),
    evidence: new Map(),
    photos: new Map(),
    tickets: new Map(),
    leftMessages: new Map(),
    ratings: new Map(),
    faqFeedback: new Map(),
    guestCodes: new GuestCodes(),
    buyerSinks: new Map(),
    desks: new Map(),
    idPrefix,
    idPattern: new RegExp(`[-_]${escapeRegExp(idPrefix)}[-_]([0-9a-z]+)$`),
    idCounter: 0,
    queueTicket: 0,
  };
}

/**
 * What the feature modules work with. `notify` tells connected desks that something they show
 * changed; the coordinator wires it, so features never need to know how desks are drawn.
 */
export interface Context {
  readonly state: BackendState;
  readonly config: Config;
  readonly ledger: Ledger;
  readonly notify: {
    /** The queue's order or contents changed. */
    queue(): void;
    /** Left messages, tickets, ratings or FAQ feedback changed. */
    inbox(): void;
    /** A buyer's orders or cases changed. */
    buyer(buyerId: string): void;
  };
}
