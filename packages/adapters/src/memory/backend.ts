import {
  type AfterSalesCase,
  type Agent,
  type BuyerIdentity,
  type Command,
  type Message,
  type Order,
  type OrderContact,
  type Query,
  type ServerFrame,
} from '@xiaoer/core';
import { createFaqIndex, type FaqEntry } from '@xiaoer/core/faq';
import type { DeskInbox, DeskServerFrame } from './desk-protocol.js';
import type { BackendRecord } from './records.js';
import { DEMO_AGENTS, DEMO_FAQ } from './seed.js';
import { demoShop, type DemoShop } from './seed-orders.js';
import { decodeBase64, photoToken, type PhotoMime } from './photos.js';
import { createState, type BackendState, type Config, type Context, type Conversation, type Session, type Sink } from './state.js';
import { Ledger } from './ledger.js';
import { IDENTITY_WARNING_MS } from './identity-expiry.js';
import { connectBuyer, type BuyerConnection, type BuyerConnectionOptions, type VerifiedBuyer } from './buyer-connection.js';
import { broadcastQueue, connectDesk, refreshBuyer, refreshInbox, type AgentConnection } from './desk.js';
import { inbox } from './desk-views.js';
import { runChatCommand, runChatQuery } from './chat.js';
import { runRoutingCommand } from './routing.js';
import { runServiceCommand } from './service.js';
import { runCommerceCommand, runCommerceQuery, tick } from './commerce.js';
import type { Outcome } from './outcome.js';

export type { BackendRecord, CommandMark, LeftMessage, RatingEntry, Ticket } from './records.js';
export type { AgentConnection } from './desk.js';
export type { BuyerConnection, BuyerConnectionOptions, VerifiedBuyer } from './buyer-connection.js';

export interface BackendOptions {
  now?: () => number;
  faq?: readonly FaqEntry[];
  agents?: readonly Agent[];
  /** Called synchronously with every change before it is acknowledged or broadcast. */
  persist?: (record: BackendRecord) => void;
  /** Whether agents are on duty at `now` (business hours). Always, by default. */
  isOpen?: (now: number) => boolean;
  /** Average time an agent spends on one conversation; drives the estimated wait. */
  averageHandleSeconds?: number;
  /** Counter used for server ids; tests may pin it. */
  idPrefix?: string;
  /**
   * Checks a buyer's signed identity (the shop's HMAC): the buyer it proves, or null when the
   * signature is forged. Expiry is checked before it is called. Without a verifier no claimed
   * identity is trusted — every visitor is anonymous unless the connection itself is trusted.
   */
  verifyBuyer?: (identity: BuyerIdentity, now: number) => VerifiedBuyer | null;
  /**
   * How long before a connected buyer's signature expires the backend sends `identity.expiring`, so
   * the client renews it before anything is refused. 60 s by default.
   */
  identityWarningMs?: number;
  /** The shop's buyers, orders, cases and seed photos to start from: the demo shop as of `now()` by default. */
  shop?: DemoShop;
  /** The URL a photo is served at; `/xiaoer/photos/<token>` by default. */
  photoUrl?: (token: string) => string;
  /** Delivers a guest look-up code to the order's contact. The demo only logs it. */
  onGuestCode?: (info: { orderId: string; code: string; contact: OrderContact; conversationId: string }) => void;
}

/**
 * The support backend's rules, in process: conversations and their ordered events, the bot, the
 * agent queue, idempotent commands, and the shop's orders and after-sales cases (through core's
 * pure rules). The in-memory transport and the reference server both run it, so the demo and the
 * server behave the same.
 *
 * It only wires the parts together: each feature lives in its own module and works on the shared
 * state through the ledger, which is the one place state changes.
 */
export class SupportBackend {
  private readonly config: Config;
  private readonly state: BackendState;
  private readonly ledger: Ledger;
  private readonly ctx: Context;
  private readonly verifyBuyer: BackendOptions['verifyBuyer'];

  constructor(options: BackendOptions = {}) {
    const now = options.now ?? Date.now;
    const faqEntries = options.faq ?? DEMO_FAQ;
    this.config = {
      now,
      faqEntries,
      faq: createFaqIndex(faqEntries),
      agents: options.agents ?? DEMO_AGENTS,
      isOpen: options.isOpen ?? (() => true),
      averageHandleSeconds: options.averageHandleSeconds ?? 180,
      photoUrl: options.photoUrl ?? ((token) => `/xiaoer/photos/${token}`),
      identityWarningMs: options.identityWarningMs ?? IDENTITY_WARNING_MS,
      ...(options.onGuestCode ? { onGuestCode: options.onGuestCode } : {}),
    };
    this.verifyBuyer = options.verifyBuyer;
    this.state = createState(options.idPrefix ?? now().toString(36));
    this.ledger = new Ledger(this.state, this.config, options.persist ?? (() => {}));
    const { state, config } = this;
    this.ctx = {
      state,
      config,
      ledger: this.ledger,
      notify: {
        queue: () => broadcastQueue(state),
        inbox: () => refreshInbox(state, config),
        buyer: (buyerId) => refreshBuyer(state, config, buyerId),
      },
    };
    this.seed(options.shop ?? demoShop(now()));
  }

  private seed(shop: DemoShop): void {
    const { state } = this;
    for (const b of shop.buyers) state.buyers.set(b.id, { id: b.id, name: b.name });
    for (const o of shop.orders) state.orders.set(o.id, o);
    const seedTokens = new Map<string, string>();
    for (const p of shop.photos) {
      // Seed photos get fresh tokens each start: nothing durable refers to them but the seed itself.
      const token = photoToken();
      seedTokens.set(p.photoId, token);
      state.photos.set(token, { token, conversationId: '', photoId: p.photoId, mime: p.mime, data: p.data });
    }
    for (const { case: c, photoIds } of shop.cases) {
      state.cases.set(c.id, c);
      const map: Record<string, string> = {};
      for (const id of photoIds) {
        const token = seedTokens.get(id);
        if (token) map[id] = token;
      }
      state.evidence.set(c.id, map);
    }
  }

  /** Rebuilds state from records written by `persist` (the reference server's log). Safe to repeat. */
  restore(records: Iterable<BackendRecord>): void {
    this.ledger.restore(records);
  }

  /** Agents known to this backend (the desk signs in as one of them). */
  listAgents(): readonly Agent[] {
    return this.config.agents;
  }

  connectBuyer(sink: Sink<ServerFrame>, options: BuyerConnectionOptions = {}): BuyerConnection {
    return connectBuyer(
      this.ctx,
      {
        ...(this.verifyBuyer ? { verifyBuyer: this.verifyBuyer } : {}),
        runCommand: (session, conversation, commandId, command) => this.runCommand(session, conversation, commandId, command),
        runQuery: (session, conversation, query) => this.runQuery(session, conversation, query),
      },
      sink,
      options,
    );
  }

  connectAgent(agent: Agent, sink: Sink<DeskServerFrame>): AgentConnection {
    return connectDesk(this.ctx, agent, sink);
  }

  /**
   * Applies every deadline that has passed: each case whose current deadline is at or before `now`
   * takes its `timeout` transition (auto-approve, close, assume receipt, close as rejected), and its
   * buyer is told. The reference server calls this every 10 s. Returns the cases that moved.
   */
  tick(now: number = this.config.now()): string[] {
    return tick(this.ctx, now);
  }

  private runCommand(session: Session, conversation: Conversation, commandId: string, command: Command): Outcome {
    const now = this.config.now();
    switch (command.type) {
      case 'message.send':
      case 'photo.upload':
        return runChatCommand(this.ctx, session, conversation, commandId, command, now);
      case 'handoff.request':
      case 'handoff.cancel':
        return runRoutingCommand(this.ctx, conversation, commandId, command, now);
      case 'message.leave':
      case 'faq.feedback':
      case 'rating.submit':
      case 'complaint.submit':
        return runServiceCommand(this.ctx, session, conversation, commandId, command, now);
      case 'order.change-address':
      case 'order.cancel':
      case 'case.open':
      case 'case.act':
      case 'guest.code.request':
        return runCommerceCommand(this.ctx, session, conversation, commandId, command, now);
    }
  }

  private runQuery(session: Session, conversation: Conversation, query: Query): Outcome<unknown> {
    switch (query.type) {
      case 'faq.entries':
      case 'messages.page':
        return runChatQuery(this.ctx, conversation, query);
      case 'orders.list':
      case 'order.get':
      case 'cases.list':
      case 'guest.order':
        return runCommerceQuery(this.ctx, session, conversation, query);
    }
  }

  // ------------------------------------------------------------------ inspection (tests, server, desk)

  /** A conversation's messages, for tests and tools. */
  messagesOf(conversationId: string): readonly Message[] {
    return this.state.conversations.get(conversationId)?.messages ?? [];
  }

  /** An order by id (any buyer's): for the shop's own tools and tests, never for buyers. */
  order(orderId: string): Order | undefined {
    return this.state.orders.get(orderId);
  }

  /** A case by id (any buyer's): for the shop's own tools and tests. */
  afterSalesCase(caseId: string): AfterSalesCase | undefined {
    return this.state.cases.get(caseId);
  }

  /** A stored photo by its token, for serving at its URL. */
  photo(token: string): { mime: PhotoMime; bytes: Uint8Array } | undefined {
    const p = this.state.photos.get(token);
    if (!p) return undefined;
    p.bytes ??= decodeBase64(p.data) ?? new Uint8Array();
    return { mime: p.mime, bytes: p.bytes };
  }

  /** The desk's shop-wide lists, as `desk.inbox` carries them. */
  deskInbox(): DeskInbox {
    return inbox(this.state, this.config);
  }
}
