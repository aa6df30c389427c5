import {
  PROTOCOL_VERSION,
  LIMITS,
  AfterSalesRequestRefusedError,
  InvalidTransitionError,
  XiaoerError,
  acceptedEvents,
  cancelOrder,
  changeAddress,
  createFaqIndex,
  decodeClientFrame,
  nextDeadline,
  openCase,
  orderCard,
  parseFrameText,
  transition,
  validateAddress,
  validateAfterSalesRequest,
  validateClientFrame,
  validateComplaint,
  validateRating,
  type AfterSalesCase,
  type AfterSalesRequest,
  type Agent,
  type BuyerIdentity,
  type CaseEvent,
  type ClientFrame,
  type Command,
  type ConversationEvent,
  type FaqEntry,
  type FaqIndex,
  type Message,
  type MessageBody,
  type Order,
  type OrderContact,
  type Query,
  type QueryResults,
  type RoutingState,
  type ServerFrame,
  type WireError,
} from '@xiaoer/core';
import type {
  DeskBuyer,
  DeskBuyerView,
  DeskCase,
  DeskClientFrame,
  DeskConversation,
  DeskInbox,
  DeskServerFrame,
  QueueItem,
} from './desk-protocol.js';
import type { BackendRecord, CommandMark, LeftMessage, RatingEntry, Ticket } from './records.js';
import { DEMO_AGENTS, DEMO_FAQ } from './seed.js';
import { demoShop, type DemoShop } from './seed-orders.js';
import { botOrderCardReply, botReply, botWelcome } from './bot.js';
import { checkPhoto, decodeBase64, photoToken, type PhotoMime } from './photos.js';
import { GuestCodes } from './guest-codes.js';
import { DESK_CASE_EVENTS, deliverOrder, orderDeskActions, recordRefund, shipOrder } from './merchant.js';
import { faqStats } from './faq-stats.js';
import {
  addressChangedNotice,
  cancelledNotice,
  caseNotice,
  complaintNotice,
  deliveredNotice,
  joinedNotice,
  leftMessageNotice,
  ratingThanksNotice,
  shippedNotice,
} from './notices.js';

export type { BackendRecord, CommandMark, LeftMessage, RatingEntry, Ticket } from './records.js';

/** A buyer the shop vouches for. */
export interface VerifiedBuyer {
  readonly id: string;
  readonly name?: string;
}

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
  /** The shop's buyers, orders, cases and seed photos to start from: the demo shop as of `now()` by default. */
  shop?: DemoShop;
  /** The URL a photo is served at; `/xiaoer/photos/<token>` by default. */
  photoUrl?: (token: string) => string;
  /** Delivers a guest look-up code to the order's contact. The demo only logs it. */
  onGuestCode?: (info: { orderId: string; code: string; contact: OrderContact; conversationId: string }) => void;
}

export interface BuyerConnectionOptions {
  /**
   * A buyer the connection itself vouches for (the in-process transport: there is no network
   * boundary to cross). Takes precedence over any identity in `session.start`.
   */
  buyer?: VerifiedBuyer;
}

interface Conversation {
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

interface StoredPhoto {
  readonly token: string;
  /** Empty for a seed photo. */
  readonly conversationId: string;
  readonly photoId: string;
  readonly mime: PhotoMime;
  readonly data: string;
  bytes?: Uint8Array;
}

/** One buyer connection's session: its conversation and who it is (null: anonymous visitor). */
interface Session {
  readonly conversationId: string;
  readonly buyerId: string | null;
}

interface DeskState {
  readonly agent: Agent;
  /** The buyer whose orders and cases this desk shows. */
  buyerId: string | null;
}

type Sink<F> = (frame: F) => void;

type Outcome<R = Readonly<Record<string, unknown>> | undefined> = { ok: true; result: R } | { ok: false; error: WireError };

export interface BuyerConnection {
  /** Handles one frame from the buyer: JSON text or an already-parsed value. Never throws. */
  receive(data: unknown): void;
  close(): void;
}

export interface AgentConnection {
  receive(frame: DeskClientFrame): void;
  close(): void;
}

const MAX_FIELDS = 50;

function refuse(code: string, message: string, extra: Partial<Omit<WireError, 'code' | 'message'>> = {}): WireError {
  return { code, message, retryable: false, ...extra };
}
const fail = (code: string, message: string, extra: Partial<Omit<WireError, 'code' | 'message'>> = {}): { ok: false; error: WireError } => ({
  ok: false,
  error: refuse(code, message, extra),
});
const done = <R>(result: R): { ok: true; result: R } => ({ ok: true, result });

const LOGIN_REQUIRED = () => fail('unauthorized', 'log in to see and change orders and after-sales cases', { reason: 'login-required' });
const NOT_FOUND = (what: string) => fail('not-found', `no such ${what}`);

const fields = (errors: readonly { path: string; code: string }[]) => errors.slice(0, MAX_FIELDS).map((e) => ({ path: e.path, code: e.code }));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `****${digits.length > 4 ? digits.slice(-4) : ''}`;
}

/** An order as a guest sees it: read-only, with the recipient's name and phone masked. */
function guestView(order: Order): Order {
  const name = order.address.name;
  return { ...order, address: { ...order.address, name: `${[...name][0] ?? ''}**`, phone: maskPhone(order.address.phone) } };
}

/**
 * The support backend's rules, in process: conversations and their ordered events, the bot, the
 * agent queue, idempotent commands, and the shop's orders and after-sales cases (through core's
 * pure rules). The in-memory transport and the reference server both run it, so the demo and the
 * server behave the same.
 */
export class SupportBackend {
  private readonly now: () => number;
  private readonly faqEntries: readonly FaqEntry[];
  private readonly faq: FaqIndex;
  private readonly agents: readonly Agent[];
  private readonly persist: (record: BackendRecord) => void;
  private readonly isOpen: (now: number) => boolean;
  private readonly averageHandleSeconds: number;
  private readonly verifyBuyer: BackendOptions['verifyBuyer'];
  private readonly photoUrl: (token: string) => string;
  private readonly onGuestCode: BackendOptions['onGuestCode'];
  private readonly conversations = new Map<string, Conversation>();
  private readonly latestAnonymousByVisitor = new Map<string, string>();
  private readonly latestByBuyer = new Map<string, string>();
  private readonly buyers = new Map<string, DeskBuyer>();
  private readonly orders = new Map<string, Order>();
  private readonly cases = new Map<string, AfterSalesCase>();
  private readonly evidence = new Map<string, Readonly<Record<string, string>>>();
  private readonly photos = new Map<string, StoredPhoto>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly leftMessages = new Map<string, LeftMessage>();
  private readonly ratings = new Map<string, RatingEntry>();
  private readonly faqFeedback = new Map<string, { hitId: string; helpful: boolean; at: number }>();
  private readonly guestCodes = new GuestCodes();
  private readonly buyerSinks = new Map<string, Set<Sink<ServerFrame>>>();
  private readonly desks = new Map<Sink<DeskServerFrame>, DeskState>();
  private idCounter = 0;
  private readonly idPattern: RegExp;
  /** Issued in the order conversations join the queue: first come, first served. */
  private queueTicket = 0;
  private readonly idPrefix: string;
  private restoring = false;
  /** The command being applied: the first record it writes carries it. */
  private pendingMark: CommandMark | null = null;

  constructor(options: BackendOptions = {}) {
    this.now = options.now ?? Date.now;
    this.faqEntries = options.faq ?? DEMO_FAQ;
    this.faq = createFaqIndex(this.faqEntries);
    this.agents = options.agents ?? DEMO_AGENTS;
    this.persist = options.persist ?? (() => {});
    this.isOpen = options.isOpen ?? (() => true);
    this.averageHandleSeconds = options.averageHandleSeconds ?? 180;
    this.verifyBuyer = options.verifyBuyer;
    this.photoUrl = options.photoUrl ?? ((token) => `/xiaoer/photos/${token}`);
    this.onGuestCode = options.onGuestCode;
    this.idPrefix = options.idPrefix ?? this.now().toString(36);
    this.idPattern = new RegExp(`[-_]${escapeRegExp(this.idPrefix)}[-_]([0-9a-z]+)$`);
    this.seed(options.shop ?? demoShop(this.now()));
  }

  private seed(shop: DemoShop): void {
    for (const b of shop.buyers) this.buyers.set(b.id, { id: b.id, name: b.name });
    for (const o of shop.orders) this.orders.set(o.id, o);
    const seedTokens = new Map<string, string>();
    for (const p of shop.photos) {
      // Seed photos get fresh tokens each start: nothing durable refers to them but the seed itself.
      const token = photoToken();
      seedTokens.set(p.photoId, token);
      this.photos.set(token, { token, conversationId: '', photoId: p.photoId, mime: p.mime, data: p.data });
    }
    for (const { case: c, photoIds } of shop.cases) {
      this.cases.set(c.id, c);
      const map: Record<string, string> = {};
      for (const id of photoIds) {
        const token = seedTokens.get(id);
        if (token) map[id] = token;
      }
      this.evidence.set(c.id, map);
    }
  }

  /** Rebuilds state from records written by `persist` (the reference server's log). Safe to repeat. */
  restore(records: Iterable<BackendRecord>): void {
    this.restoring = true;
    try {
      for (const record of records) {
        try {
          this.apply(record);
        } catch {
          // A record this version cannot apply must not stop the rest from loading.
        }
      }
    } finally {
      this.restoring = false;
    }
  }

  /** Agents known to this backend (the desk signs in as one of them). */
  listAgents(): readonly Agent[] {
    return this.agents;
  }

  // ------------------------------------------------------------------ buyers

  connectBuyer(sink: Sink<ServerFrame>, options: BuyerConnectionOptions = {}): BuyerConnection {
    let session: Session | null = null;
    const send = (frame: ServerFrame) => {
      try {
        sink(frame);
      } catch {
        /* a broken sink must not break the backend */
      }
    };
    const detach = () => {
      if (session) this.buyerSinks.get(session.conversationId)?.delete(send);
    };
    return {
      receive: (data) => {
        const raw = typeof data === 'string' ? parseFrameText(data) : { ok: true as const, value: data };
        const decoded = raw.ok ? validateClientFrame(raw.value) : raw;
        if (!decoded.ok) {
          const answered = raw.ok && this.answerMalformed(raw.value, session, send);
          if (!answered) send({ v: PROTOCOL_VERSION, kind: 'error', error: refuse('protocol', decoded.error.message) });
          return;
        }
        const frame = decoded.frame;
        if (frame.kind === 'session.start') {
          detach();
          session = this.startSession(frame, send, options.buyer);
          return;
        }
        if (frame.kind === 'ping') {
          send({ v: PROTOCOL_VERSION, kind: 'pong', id: frame.id });
          return;
        }
        if (!session) {
          if (frame.kind === 'command' || frame.kind === 'query') {
            send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: refuse('unauthorized', 'no session: send session.start first', { retryable: true }) });
          } else send({ v: PROTOCOL_VERSION, kind: 'error', error: refuse('unauthorized', 'no session: send session.start first') });
          return;
        }
        this.handleBuyerFrame(session, frame, send);
      },
      close: detach,
    };
  }

  /**
   * A command or query that fails validation but carries an id is answered with a `nack` for that
   * id, so the client stops resending it (an `error` frame would leave it waiting). A case request
   * the schema refuses (say, ten photos) is explained field by field by core's request rules.
   */
  private answerMalformed(value: unknown, session: Session | null, send: Sink<ServerFrame>): boolean {
    const frame = value as { v?: unknown; kind?: unknown; id?: unknown; command?: { type?: unknown; orderId?: unknown; request?: unknown } } | null;
    if (typeof frame !== 'object' || frame === null || frame.v !== PROTOCOL_VERSION) return false;
    if ((frame.kind !== 'command' && frame.kind !== 'query') || typeof frame.id !== 'string' || frame.id.length === 0 || frame.id.length > LIMITS.id) return false;
    const command = frame.command;
    if (session?.buyerId && frame.kind === 'command' && command?.type === 'case.open' && typeof command.orderId === 'string' && typeof command.request === 'object' && command.request) {
      const order = this.orders.get(command.orderId);
      if (order && order.buyerId === session.buyerId) {
        const checked = validateAfterSalesRequest(order, command.request as AfterSalesRequest, this.now());
        if (!checked.ok) {
          send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: refuse('refused', 'the after-sales request is not valid', { reason: 'request-invalid', fields: fields(checked.errors) }) });
          return true;
        }
      }
    }
    send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: refuse('protocol', `invalid ${frame.kind} frame`) });
    return true;
  }

  private startSession(frame: Extract<ClientFrame, { kind: 'session.start' }>, send: Sink<ServerFrame>, trusted?: VerifiedBuyer): Session {
    const visitorId = frame.visitor.visitorId;
    const now = this.now();
    let buyer: VerifiedBuyer | null = trusted ?? null;
    let identityError: WireError | null = null;
    const claim = frame.visitor.buyer;
    if (!buyer && claim) {
      if (claim.expires <= now) identityError = refuse('unauthorized', 'the buyer identity has expired', { reason: 'identity-expired' });
      else {
        const verified = this.verifyBuyer?.(claim, now) ?? null;
        if (verified) buyer = verified;
        else identityError = refuse('unauthorized', 'the buyer identity could not be verified', { reason: 'identity-invalid' });
      }
    }
    if (buyer && !this.buyers.has(buyer.id)) this.buyers.set(buyer.id, { id: buyer.id, ...(buyer.name ? { name: buyer.name } : {}) });
    const name = buyer ? (this.buyers.get(buyer.id)?.name ?? buyer.name) : undefined;

    let conversation: Conversation | undefined;
    if (buyer) {
      // A buyer has one conversation, whichever device they come from.
      const id = this.latestByBuyer.get(buyer.id);
      conversation = id ? this.conversations.get(id) : undefined;
      conversation ??= this.createConversation(visitorId, frame.locale ?? 'zh-CN', { id: buyer.id, ...(name ? { name } : {}) });
    } else {
      // An anonymous visitor only ever resumes their own anonymous conversation — never a buyer's,
      // even one started on this device before logging out.
      const asked = frame.conversationId ? this.conversations.get(frame.conversationId) : undefined;
      conversation = asked && asked.visitorId === visitorId && !asked.buyerId ? asked : undefined;
      if (!conversation) {
        const latest = this.latestAnonymousByVisitor.get(visitorId);
        conversation = latest ? this.conversations.get(latest) : undefined;
      }
      conversation ??= this.createConversation(visitorId, frame.locale ?? 'zh-CN');
    }

    let set = this.buyerSinks.get(conversation.id);
    if (!set) this.buyerSinks.set(conversation.id, (set = new Set()));
    set.add(send);
    const lastSeq = conversation.events.at(-1)?.seq ?? 0;
    send({
      v: PROTOCOL_VERSION,
      kind: 'session.ready',
      conversationId: conversation.id,
      visitorId,
      lastSeq,
      routing: conversation.routing,
      ...(buyer ? { buyer: { id: buyer.id, ...(name ? { name } : {}) } } : {}),
      agentsAvailable: this.isOpen(now),
    });
    // The device is ahead of us only if our history was lost: then it gets everything again.
    const from = frame.afterSeq > lastSeq || frame.conversationId !== conversation.id ? 0 : frame.afterSeq;
    for (const { seq, event } of conversation.events) {
      if (seq > from) send({ v: PROTOCOL_VERSION, kind: 'event', conversationId: conversation.id, seq, event });
    }
    // After ready (which clears the client's last error), so the refusal stays visible.
    if (identityError) send({ v: PROTOCOL_VERSION, kind: 'error', error: identityError });
    return { conversationId: conversation.id, buyerId: buyer?.id ?? null };
  }

  private handleBuyerFrame(session: Session, frame: ClientFrame, send: Sink<ServerFrame>): void {
    const conversation = this.conversations.get(session.conversationId)!;
    if (frame.kind === 'signal') {
      if (conversation.routing.phase !== 'agent') return;
      const agentId = conversation.routing.agent.id;
      for (const [desk, state] of this.desks) {
        if (state.agent.id === agentId) desk({ kind: 'desk.typing', conversationId: conversation.id, on: frame.signal.on });
      }
      return;
    }
    if (frame.kind === 'query') {
      let outcome: Outcome<unknown>;
      try {
        outcome = this.runQuery(session, conversation, frame.query);
      } catch (error) {
        outcome = fail('internal', error instanceof Error ? error.message : 'query failed', { retryable: true });
      }
      if (outcome.ok) send({ v: PROTOCOL_VERSION, kind: 'result', id: frame.id, result: outcome.result });
      else send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: outcome.error });
      return;
    }
    if (frame.kind !== 'command') return;
    if (conversation.commands.has(frame.id)) {
      // Seen before (a resend after a lost ack): acknowledge again, with the same result, apply nothing.
      const result = conversation.commands.get(frame.id);
      send({ v: PROTOCOL_VERSION, kind: 'ack', id: frame.id, ...(result ? { result: { ...result } } : {}) });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = this.runCommand(session, conversation, frame.id, frame.command);
      if (outcome.ok && this.pendingMark) {
        // Nothing was written (a no-op such as a second handoff request): remember the id alone.
        const mark = this.pendingMark;
        this.pendingMark = null;
        this.record({ t: 'command', conversationId: mark.conversationId, commandId: mark.commandId, ...(mark.result ? { result: mark.result } : {}) });
      }
    } catch (error) {
      outcome = fail('internal', error instanceof Error ? error.message : 'command failed', { retryable: true });
    } finally {
      this.pendingMark = null;
    }
    if (outcome.ok) send({ v: PROTOCOL_VERSION, kind: 'ack', id: frame.id, ...(outcome.result ? { result: { ...outcome.result } } : {}) });
    else send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: outcome.error });
  }

  /** From here on the command is accepted: the next record written completes it (see `record`). */
  private accept(conversation: Conversation, commandId: string, result?: Readonly<Record<string, unknown>>): void {
    this.pendingMark = { conversationId: conversation.id, commandId, ...(result ? { result } : {}) };
  }

  private runCommand(session: Session, conversation: Conversation, commandId: string, command: Command): Outcome {
    const now = this.now();
    switch (command.type) {
      case 'message.send':
        return this.sendMessage(session, conversation, commandId, command.body);

      case 'handoff.request': {
        this.accept(conversation, commandId);
        const phase = conversation.routing.phase;
        if (phase === 'queued' || phase === 'agent') return done(undefined); // already on the way: idempotent by meaning too
        if (!this.isOpen(now)) {
          this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'offline', reason: 'closed-hours' } });
          return done(undefined);
        }
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'queued', position: this.queue().length + 1, etaSeconds: 0 } });
        this.refreshQueue();
        return done(undefined);
      }

      case 'handoff.cancel': {
        this.accept(conversation, commandId);
        if (conversation.routing.phase !== 'queued') return done(undefined);
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'bot' } });
        this.refreshQueue();
        return done(undefined);
      }

      case 'message.leave': {
        const id = this.newId('L');
        this.accept(conversation, commandId, { leftMessageId: id });
        const message: LeftMessage = {
          id, conversationId: conversation.id, contact: command.contact, text: command.text, createdAt: now,
          ...(session.buyerId ? { buyerId: session.buyerId } : {}),
        };
        this.record({ t: 'left-message', message });
        this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: leftMessageNotice(command.contact, conversation.locale) });
        this.refreshInbox();
        return done({ leftMessageId: id });
      }

      case 'faq.feedback': {
        const message = conversation.messages.find((m) => m.id === command.messageId);
        if (!message || message.author.role !== 'bot' || message.body.kind !== 'text' || !message.body.faqId) {
          return fail('not-found', 'no such bot answer in this conversation', { reason: 'unknown-message' });
        }
        this.accept(conversation, commandId);
        this.record({ t: 'faq-feedback', conversationId: conversation.id, messageId: message.id, faqId: message.body.faqId, helpful: command.helpful, at: now });
        this.refreshInbox();
        return done(undefined);
      }

      case 'photo.upload': {
        const known = conversation.photos.get(command.photoId);
        // The same photo id again (a resend under another command id) is the same photo.
        if (known) return done({ photoId: command.photoId, url: this.photoUrl(known) });
        const checked = checkPhoto(command.mime, command.data);
        if (!checked.ok) return fail('refused', checked.message, { reason: checked.reason });
        const token = photoToken();
        const result = { photoId: command.photoId, url: this.photoUrl(token) };
        this.accept(conversation, commandId, result);
        this.record({ t: 'photo', token, conversationId: conversation.id, photoId: command.photoId, mime: command.mime, data: command.data, createdAt: now });
        const stored = this.photos.get(token);
        if (stored) stored.bytes = checked.bytes;
        return done(result);
      }

      case 'order.change-address':
      case 'order.cancel': {
        if (!session.buyerId) return LOGIN_REQUIRED();
        const order = this.ownOrder(session, command.orderId);
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
        this.accept(conversation, commandId);
        this.updateOrder(next, command.type === 'order.cancel' ? cancelledNotice : addressChangedNotice);
        return done(undefined);
      }

      case 'case.open': {
        if (!session.buyerId) return LOGIN_REQUIRED();
        const order = this.ownOrder(session, command.orderId);
        if (!order) return NOT_FOUND('order');
        const active = [...this.cases.values()].find((c) => c.orderId === order.id && c.state !== 'closed');
        if (active) return fail('refused', `case ${active.id} for this order is still open`, { reason: 'case-already-open' });
        // Evidence must be this conversation's own uploads: never another buyer's photo.
        const errors: { path: string; code: string }[] = [];
        command.request.photos.forEach((p, i) => {
          if (!conversation.photos.has(p.id)) errors.push({ path: `photos[${i}].id`, code: 'unknown-photo' });
        });
        let opened: AfterSalesCase | null = null;
        const id = this.newId('AS');
        try {
          opened = openCase(order, command.request, now, id);
        } catch (error) {
          if (!(error instanceof AfterSalesRequestRefusedError)) throw error;
          errors.unshift(...error.errors);
        }
        if (!opened || errors.length > 0) return fail('refused', 'the after-sales request is not valid', { reason: 'request-invalid', fields: fields(errors) });
        const evidence: Record<string, string> = {};
        for (const p of opened.request.photos) evidence[p.id] = conversation.photos.get(p.id)!;
        this.accept(conversation, commandId, { caseId: id });
        this.updateCase(undefined, opened, evidence);
        return done({ caseId: id });
      }

      case 'case.act': {
        if (!session.buyerId) return LOGIN_REQUIRED();
        const current = this.ownCase(session, command.caseId);
        if (!current) return NOT_FOUND('case');
        let next: AfterSalesCase;
        try {
          next = transition(current, command.event as CaseEvent, now);
        } catch (error) {
          if (error instanceof InvalidTransitionError) return fail('invalid-transition', error.message);
          throw error;
        }
        this.accept(conversation, commandId);
        this.updateCase(current, next);
        return done(undefined);
      }

      case 'rating.submit': {
        const sessionId = command.rating.sessionId;
        const agentSession = conversation.sessions.get(sessionId);
        if (!agentSession) return fail('refused', 'no such agent session in this conversation', { reason: 'unknown-session', fields: [{ path: 'sessionId', code: 'unknown-session' }] });
        if (!agentSession.ended) return fail('refused', 'the agent session has not ended yet', { reason: 'session-not-ended' });
        const checked = validateRating(command.rating, conversation.ratedSessions);
        if (!checked.ok) {
          const already = checked.errors.some((e) => e.code === 'already-rated');
          return fail('refused', already ? 'this session was already rated' : 'the rating is not valid', { reason: already ? 'already-rated' : 'rating-invalid', fields: fields(checked.errors) });
        }
        this.accept(conversation, commandId);
        const entry: RatingEntry = {
          conversationId: conversation.id, rating: checked.value, at: now, agentId: agentSession.agentId,
          ...(session.buyerId ? { buyerId: session.buyerId } : {}),
        };
        this.record({ t: 'rating', entry });
        const r = conversation.routing;
        if (r.phase === 'ended' && r.sessionId === sessionId) this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'rated', sessionId } });
        this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: ratingThanksNotice(conversation.locale) });
        this.refreshInbox();
        return done(undefined);
      }

      case 'complaint.submit': {
        const checked = validateComplaint(command.complaint);
        if (!checked.ok) return fail('refused', 'the complaint is not valid', { reason: 'complaint-invalid', fields: fields(checked.errors) });
        const complaint = checked.value;
        if (complaint.orderId !== undefined && !this.readableOrder(session, conversation, complaint.orderId)) {
          return fail('not-found', 'no such order', { reason: 'unknown-order', fields: [{ path: 'orderId', code: 'unknown-order' }] });
        }
        const id = this.newId('T');
        this.accept(conversation, commandId, { ticketId: id });
        const ticket: Ticket = { id, conversationId: conversation.id, complaint, createdAt: now, ...(session.buyerId ? { buyerId: session.buyerId } : {}) };
        this.record({ t: 'ticket', ticket });
        this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: complaintNotice(id, conversation.locale) });
        this.refreshInbox();
        return done({ ticketId: id });
      }

      case 'guest.code.request': {
        const wait = this.guestCodes.admit(conversation.id, command.orderId, now);
        if (wait !== null) return fail('rate-limited', 'too many codes asked for; try again later', { retryable: true, retryAfterMs: wait });
        this.accept(conversation, commandId);
        // The same answer whether or not the order exists: the ack says nothing about it.
        const order = this.orders.get(command.orderId);
        if (order) {
          const code = this.guestCodes.issue(conversation.id, order.id, now);
          this.onGuestCode?.({ orderId: order.id, code, contact: order.contact ?? {}, conversationId: conversation.id });
        }
        return done(undefined);
      }
    }
  }

  private sendMessage(session: Session, conversation: Conversation, commandId: string, outgoing: Extract<Command, { type: 'message.send' }>['body']): Outcome {
    let body: MessageBody;
    let order: Order | undefined;
    switch (outgoing.kind) {
      case 'text':
        body = outgoing;
        break;
      case 'image': {
        const token = conversation.photos.get(outgoing.photoId);
        if (!token) return fail('not-found', 'no such photo in this conversation; upload it first', { reason: 'unknown-photo' });
        body = { kind: 'image', photoId: outgoing.photoId, url: this.photoUrl(token) };
        break;
      }
      case 'order-card': {
        if (!session.buyerId && conversation.guestOrders.size === 0) return LOGIN_REQUIRED();
        order = this.readableOrder(session, conversation, outgoing.orderId);
        if (!order) return NOT_FOUND('order');
        body = { kind: 'order-card', card: orderCard(order) };
        break;
      }
    }
    this.accept(conversation, commandId);
    this.appendMessage(conversation, { role: 'buyer' }, body, commandId);
    const phase = conversation.routing.phase;
    if (phase !== 'queued' && phase !== 'agent') {
      const context = { agentsAvailable: this.isOpen(this.now()) };
      if (outgoing.kind === 'text') this.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botReply(this.faq, outgoing.text, conversation.locale, context));
      else if (order) this.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botOrderCardReply(order, conversation.locale, context));
    }
    if (phase === 'queued') this.broadcastQueue();
    return done(undefined);
  }

  private runQuery(session: Session, conversation: Conversation, query: Query): Outcome<unknown> {
    switch (query.type) {
      case 'orders.list': {
        if (!session.buyerId) return LOGIN_REQUIRED();
        const all = this.ordersOf(session.buyerId);
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
        const own = session.buyerId ? this.ownOrder(session, query.orderId) : undefined;
        if (own) return done<QueryResults['order.get']>({ order: own });
        const guest = conversation.guestOrders.has(query.orderId) ? this.orders.get(query.orderId) : undefined;
        if (guest) return done<QueryResults['order.get']>({ order: guestView(guest) });
        return session.buyerId ? NOT_FOUND('order') : LOGIN_REQUIRED();
      }
      case 'cases.list': {
        if (!session.buyerId) return LOGIN_REQUIRED();
        return done<QueryResults['cases.list']>({ cases: this.casesOf(session.buyerId).slice(0, 200) });
      }
      case 'faq.entries': {
        const locale = query.locale;
        let entries = this.faqEntries;
        if (locale) {
          const lang = locale.toLowerCase().split('-')[0];
          const exact = entries.filter((e) => e.locale === locale);
          const sameLanguage = entries.filter((e) => e.locale.toLowerCase().split('-')[0] === lang);
          entries = exact.length > 0 ? exact : sameLanguage.length > 0 ? sameLanguage : entries;
        }
        return done<QueryResults['faq.entries']>({
          entries: entries.slice(0, 2_000).map((e) => ({ id: e.id, locale: e.locale, question: e.question, answer: e.answer, ...(e.keywords ? { keywords: [...e.keywords] } : {}) })),
        });
      }
      case 'messages.page': {
        const limit = query.limit ?? 50;
        const older = conversation.messages.filter((m) => m.seq < query.beforeSeq).slice(-limit).reverse();
        return done<QueryResults['messages.page']>({ messages: older });
      }
      case 'guest.order': {
        const verdict = this.guestCodes.verify(conversation.id, query.orderId, query.code, this.now());
        if (!verdict.ok) {
          const message = verdict.reason === 'code-expired' ? 'the code has expired; ask for a new one' : verdict.reason === 'too-many-attempts' ? 'too many wrong codes; ask for a new one' : 'the code is not right';
          return fail('refused', message, { reason: verdict.reason });
        }
        const order = this.orders.get(query.orderId);
        if (!order) return fail('refused', 'the code is not right', { reason: 'code-invalid' });
        if (!conversation.guestOrders.has(order.id)) this.record({ t: 'guest-grant', conversationId: conversation.id, orderId: order.id });
        return done<QueryResults['guest.order']>({ order: guestView(order) });
      }
    }
  }

  // ------------------------------------------------------------------ orders and cases

  private ownOrder(session: Session, orderId: string): Order | undefined {
    const order = this.orders.get(orderId);
    return order && session.buyerId !== null && order.buyerId === session.buyerId ? order : undefined;
  }

  /** The buyer's own order, or one a guest unlocked in this conversation. */
  private readableOrder(session: Session, conversation: Conversation, orderId: string): Order | undefined {
    return this.ownOrder(session, orderId) ?? (conversation.guestOrders.has(orderId) ? this.orders.get(orderId) : undefined);
  }

  private ownCase(session: Session, caseId: string): AfterSalesCase | undefined {
    const c = this.cases.get(caseId);
    const order = c ? this.orders.get(c.orderId) : undefined;
    return c && order && session.buyerId !== null && order.buyerId === session.buyerId ? c : undefined;
  }

  /** A buyer's orders, newest first. */
  private ordersOf(buyerId: string): Order[] {
    return [...this.orders.values()].filter((o) => o.buyerId === buyerId).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  /** A buyer's cases, newest first. */
  private casesOf(buyerId: string): AfterSalesCase[] {
    return [...this.cases.values()]
      .filter((c) => this.orders.get(c.orderId)?.buyerId === buyerId)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  /** Stores a changed order and tells its buyer: `order.updated` and a notice that opens it. */
  private updateOrder(next: Order, notice: (order: Order, locale: string) => string): void {
    this.record({ t: 'order', order: next });
    const conversation = this.conversationForBuyer(next.buyerId);
    this.appendEvent(conversation, { type: 'order.updated', order: next });
    this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: notice(next, conversation.locale), ref: { type: 'order', id: next.id } });
    this.refreshBuyer(next.buyerId);
  }

  /**
   * Stores a new or moved case and tells its buyer: `case.updated`, a notice that opens it, and
   * the order too when the move paid a refund.
   */
  private updateCase(before: AfterSalesCase | undefined, next: AfterSalesCase, evidence?: Readonly<Record<string, string>>): void {
    this.record({ t: 'case', case: next, ...(evidence ? { evidence } : {}) });
    let order = this.orders.get(next.orderId);
    if (!order) return;
    const conversation = this.conversationForBuyer(order.buyerId);
    if (next.refund && !before?.refund) {
      order = recordRefund(order, next.refund.amount.amount, next.request.lines.map((l) => l.lineId));
      this.record({ t: 'order', order });
      this.appendEvent(conversation, { type: 'order.updated', order });
    }
    this.appendEvent(conversation, { type: 'case.updated', case: next });
    this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: caseNotice(next, before, conversation.locale), ref: { type: 'case', id: next.id } });
    this.refreshBuyer(order.buyerId);
  }

  /** The buyer's conversation, started now if they never chatted (so a proactive notice has a home). */
  private conversationForBuyer(buyerId: string): Conversation {
    const id = this.latestByBuyer.get(buyerId);
    const existing = id ? this.conversations.get(id) : undefined;
    if (existing) return existing;
    const name = this.buyers.get(buyerId)?.name;
    return this.createConversation(`buyer:${buyerId}`, 'zh-CN', { id: buyerId, ...(name ? { name } : {}) });
  }

  /**
   * Applies every deadline that has passed: each case whose current deadline is at or before `now`
   * takes its `timeout` transition (auto-approve, close, assume receipt, close as rejected), and its
   * buyer is told. The reference server calls this every 10 s. Returns the cases that moved.
   */
  tick(now: number = this.now()): string[] {
    const moved: string[] = [];
    for (const c of [...this.cases.values()]) {
      const deadline = nextDeadline(c);
      if (!deadline || deadline.at > now) continue;
      let next: AfterSalesCase;
      try {
        next = transition(c, { type: 'timeout' }, now);
      } catch {
        continue;
      }
      this.updateCase(c, next);
      moved.push(c.id);
    }
    return moved;
  }

  // ------------------------------------------------------------------ agents

  connectAgent(agent: Agent, sink: Sink<DeskServerFrame>): AgentConnection {
    const send: Sink<DeskServerFrame> = (frame) => {
      try {
        sink(frame);
      } catch {
        /* ignore a broken desk */
      }
    };
    const state: DeskState = { agent, buyerId: null };
    this.desks.set(send, state);
    send({ kind: 'desk.ready', agent, queue: this.queueItems(), mine: this.conversationsOf(agent).map((c) => this.deskView(c)), inbox: this.inbox() });
    this.refreshQueue(); // one more agent on duty shortens every estimate
    return {
      receive: (frame) => {
        try {
          this.handleDeskFrame(state, frame, send);
        } catch (error) {
          send({ kind: 'desk.error', message: error instanceof Error ? error.message : 'desk action failed' });
        }
      },
      close: () => {
        this.desks.delete(send);
        this.refreshQueue();
      },
    };
  }

  private handleDeskFrame(desk: DeskState, frame: DeskClientFrame, send: Sink<DeskServerFrame>): void {
    const agent = desk.agent;
    const now = this.now();
    const kind = (frame as { kind?: unknown } | null)?.kind;
    switch (kind) {
      case 'desk.buyer.open': {
        const f = frame as Extract<DeskClientFrame, { kind: 'desk.buyer.open' }>;
        const view = typeof f.buyerId === 'string' ? this.buyerView(f.buyerId) : null;
        if (!view) {
          send({ kind: 'desk.error', message: 'no such buyer' });
          return;
        }
        desk.buyerId = f.buyerId;
        send({ kind: 'desk.buyer', view });
        return;
      }
      case 'desk.order.ship':
      case 'desk.order.deliver': {
        const f = frame as Extract<DeskClientFrame, { kind: 'desk.order.ship' | 'desk.order.deliver' }>;
        const order = typeof f.orderId === 'string' ? this.orders.get(f.orderId) : undefined;
        if (!order) {
          send({ kind: 'desk.error', message: 'no such order' });
          return;
        }
        let next: Order;
        try {
          next =
            f.kind === 'desk.order.ship'
              ? shipOrder(order, { carrier: String(f.carrier ?? ''), waybillNumber: String(f.waybillNumber ?? '') }, now)
              : deliverOrder(order, now);
        } catch (error) {
          if (!XiaoerError.isInstance(error)) throw error;
          send({ kind: 'desk.error', message: error.message, ...(error.reason ? { reason: error.reason } : {}) });
          return;
        }
        this.updateOrder(next, f.kind === 'desk.order.ship' ? shippedNotice : deliveredNotice);
        send({ kind: 'desk.done', action: f.kind, ref: order.id });
        return;
      }
      case 'desk.case.act': {
        const f = frame as Extract<DeskClientFrame, { kind: 'desk.case.act' }>;
        const current = typeof f.caseId === 'string' ? this.cases.get(f.caseId) : undefined;
        if (!current) {
          send({ kind: 'desk.error', message: 'no such case' });
          return;
        }
        const type = (f.event as { type?: unknown } | undefined)?.type;
        if (!DESK_CASE_EVENTS.includes(type as CaseEvent['type'])) {
          send({ kind: 'desk.error', message: `the desk cannot send '${String(type)}' to a case` });
          return;
        }
        let next: AfterSalesCase;
        try {
          next = transition(current, f.event, now);
        } catch (error) {
          if (!(error instanceof InvalidTransitionError)) throw error;
          send({ kind: 'desk.error', message: error.message, reason: 'invalid-transition' });
          return;
        }
        this.updateCase(current, next);
        send({ kind: 'desk.done', action: 'desk.case.act', ref: current.id });
        return;
      }
      case 'desk.left.answer': {
        const f = frame as Extract<DeskClientFrame, { kind: 'desk.left.answer' }>;
        const left = typeof f.leftMessageId === 'string' ? this.leftMessages.get(f.leftMessageId) : undefined;
        const conversation = left ? this.conversations.get(left.conversationId) : undefined;
        if (!left || !conversation) {
          send({ kind: 'desk.error', message: 'no such left message' });
          return;
        }
        const text = typeof f.text === 'string' ? f.text.trim() : '';
        if (!text || text.length > LIMITS.messageText || typeof f.id !== 'string' || !f.id || f.id.length > LIMITS.id) {
          send({ kind: 'desk.error', message: 'an answer needs an id and 1 to 20,000 characters of text' });
          return;
        }
        if (conversation.commands.has(f.id)) return;
        this.appendMessage(conversation, { role: 'agent', name: agent.name }, { kind: 'text', text }, f.id);
        this.record({ t: 'left-message', message: { ...left, answer: { text, agent: agent.name, at: now } } });
        this.refreshInbox();
        send({ kind: 'desk.done', action: 'desk.left.answer', ref: left.id });
        return;
      }
      case 'desk.take':
      case 'desk.reply':
      case 'desk.typing':
      case 'desk.end':
        break;
      default:
        send({ kind: 'desk.error', message: 'unknown desk frame' });
        return;
    }

    const f = frame as Extract<DeskClientFrame, { kind: 'desk.take' | 'desk.reply' | 'desk.typing' | 'desk.end' }>;
    const conversation = typeof f.conversationId === 'string' ? this.conversations.get(f.conversationId) : undefined;
    if (!conversation) {
      send({ kind: 'desk.error', message: 'no such conversation' });
      return;
    }
    const ownedByAgent = conversation.routing.phase === 'agent' && conversation.routing.agent.id === agent.id;
    switch (f.kind) {
      case 'desk.take': {
        if (conversation.routing.phase !== 'queued') {
          send({ kind: 'desk.error', message: 'this conversation is not waiting in the queue' });
          return;
        }
        const sessionId = this.newId('S');
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'agent', agent: { id: agent.id, name: agent.name }, sessionId } });
        this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: joinedNotice(agent.name, conversation.locale) });
        this.refreshQueue();
        send({ kind: 'desk.conversation', conversation: this.deskView(conversation) });
        return;
      }
      case 'desk.reply': {
        if (!ownedByAgent) {
          send({ kind: 'desk.error', message: 'take the conversation before replying' });
          return;
        }
        const text = typeof f.text === 'string' ? f.text.trim() : '';
        if (!text || text.length > LIMITS.messageText || typeof f.id !== 'string' || f.id.length > LIMITS.id) {
          send({ kind: 'desk.error', message: 'a reply needs an id and 1 to 20,000 characters of text' });
          return;
        }
        if (conversation.commands.has(f.id)) return;
        this.appendMessage(conversation, { role: 'agent', name: agent.name }, { kind: 'text', text }, f.id);
        return;
      }
      case 'desk.typing':
        if (!ownedByAgent) return;
        for (const buyer of this.buyerSinks.get(conversation.id) ?? []) {
          buyer({ v: PROTOCOL_VERSION, kind: 'signal', conversationId: conversation.id, signal: { type: 'typing', on: f.on === true, by: { role: 'agent', name: agent.name } } });
        }
        return;
      case 'desk.end': {
        if (!ownedByAgent || conversation.routing.phase !== 'agent') return;
        const { sessionId } = conversation.routing;
        this.appendEvent(conversation, {
          type: 'routing.changed',
          routing: { phase: 'ended', agent: { id: agent.id, name: agent.name }, ...(sessionId ? { sessionId } : {}) },
        });
        return;
      }
    }
  }

  // ------------------------------------------------------------------ state changes

  private newId(kind: string): string {
    return `${kind}-${this.idPrefix}-${(++this.idCounter).toString(36)}`;
  }

  private createConversation(visitorId: string, locale: string, buyer?: DeskBuyer): Conversation {
    const id = `conv_${this.idPrefix}_${(++this.idCounter).toString(36)}`;
    this.record({
      t: 'conversation', id, visitorId, createdAt: this.now(), locale,
      ...(buyer ? { buyerId: buyer.id, ...(buyer.name ? { buyerName: buyer.name } : {}) } : {}),
    });
    const conversation = this.conversations.get(id)!;
    this.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botWelcome(locale, { agentsAvailable: this.isOpen(this.now()) }));
    return conversation;
  }

  private appendMessage(conversation: Conversation, author: Message['author'], body: MessageBody, clientId?: string): void {
    const seq = (conversation.events.at(-1)?.seq ?? 0) + 1;
    const message: Message = {
      id: `m_${conversation.id.slice(5)}_${seq}`,
      ...(clientId ? { clientId } : {}),
      conversationId: conversation.id,
      seq,
      author,
      body,
      createdAt: this.now(),
    };
    this.appendEvent(conversation, { type: 'message.created', message }, clientId);
  }

  private appendEvent(conversation: Conversation, event: ConversationEvent, commandId?: string): void {
    const seq = (conversation.events.at(-1)?.seq ?? 0) + 1;
    this.record({ t: 'event', conversationId: conversation.id, seq, event, ...(commandId ? { commandId } : {}) });
    for (const buyer of this.buyerSinks.get(conversation.id) ?? []) {
      buyer({ v: PROTOCOL_VERSION, kind: 'event', conversationId: conversation.id, seq, event });
    }
    const owner = conversation.lastAgentId;
    if (owner === undefined) return;
    for (const [desk, state] of this.desks) {
      if (state.agent.id === owner) desk({ kind: 'desk.event', conversationId: conversation.id, seq, event });
    }
  }

  /** Writes a record down, then applies it: the only way state changes. */
  private record(record: BackendRecord): void {
    let written = record;
    if (this.pendingMark && !this.restoring) {
      written = { ...record, cmd: this.pendingMark };
      this.pendingMark = null;
    }
    if (!this.restoring) this.persist(written);
    this.apply(written);
  }

  private bumpCounter(id: string): void {
    const match = this.idPattern.exec(id);
    const n = match ? Number.parseInt(match[1]!, 36) : Number.NaN;
    if (Number.isFinite(n)) this.idCounter = Math.max(this.idCounter, n);
  }

  /** Applies one record. Applying a record twice changes nothing the second time. */
  private apply(record: BackendRecord): void {
    switch (record.t) {
      case 'conversation': {
        if (this.conversations.has(record.id)) break;
        this.conversations.set(record.id, {
          id: record.id, visitorId: record.visitorId, createdAt: record.createdAt, locale: record.locale,
          ...(record.buyerId ? { buyerId: record.buyerId } : {}),
          ...(record.buyerName ? { buyerName: record.buyerName } : {}),
          events: [], messages: [], commands: new Map(), routing: { phase: 'bot' }, queuedAt: null,
          photos: new Map(), guestOrders: new Set(), sessions: new Map(), ratedSessions: new Set(),
        });
        if (record.buyerId) {
          this.latestByBuyer.set(record.buyerId, record.id);
          if (!this.buyers.has(record.buyerId)) this.buyers.set(record.buyerId, { id: record.buyerId, ...(record.buyerName ? { name: record.buyerName } : {}) });
        } else this.latestAnonymousByVisitor.set(record.visitorId, record.id);
        this.bumpCounter(record.id);
        break;
      }
      case 'command': {
        const c = this.conversations.get(record.conversationId);
        if (c && !c.commands.has(record.commandId)) c.commands.set(record.commandId, record.result);
        break;
      }
      case 'event': {
        const c = this.conversations.get(record.conversationId);
        if (!c || record.seq <= (c.events.at(-1)?.seq ?? 0)) break;
        c.events.push({ seq: record.seq, event: record.event });
        if (record.commandId && !c.commands.has(record.commandId)) c.commands.set(record.commandId, undefined);
        const event = record.event;
        if (event.type === 'message.created') c.messages.push(event.message);
        else if (event.type === 'routing.changed') {
          const wasQueued = c.routing.phase === 'queued';
          c.routing = event.routing;
          if (c.routing.phase === 'queued' && !wasQueued) c.queuedAt = ++this.queueTicket;
          if (c.routing.phase !== 'queued') c.queuedAt = null;
          const r = c.routing;
          if (r.phase === 'agent') {
            c.lastAgentId = r.agent.id;
            if (r.sessionId) {
              c.sessions.set(r.sessionId, { agentId: r.agent.id, ended: false });
              this.bumpCounter(r.sessionId);
            }
          } else if (r.phase === 'ended' && r.sessionId) {
            c.sessions.set(r.sessionId, { agentId: r.agent?.id ?? c.sessions.get(r.sessionId)?.agentId ?? '', ended: true });
          }
        }
        break;
      }
      case 'order':
        this.orders.set(record.order.id, record.order);
        break;
      case 'case':
        this.cases.set(record.case.id, record.case);
        if (record.evidence) this.evidence.set(record.case.id, record.evidence);
        this.bumpCounter(record.case.id);
        break;
      case 'photo': {
        if (!this.photos.has(record.token)) {
          this.photos.set(record.token, { token: record.token, conversationId: record.conversationId, photoId: record.photoId, mime: record.mime, data: record.data });
        }
        this.conversations.get(record.conversationId)?.photos.set(record.photoId, record.token);
        break;
      }
      case 'ticket':
        this.tickets.set(record.ticket.id, record.ticket);
        this.bumpCounter(record.ticket.id);
        break;
      case 'left-message':
        this.leftMessages.set(record.message.id, record.message);
        this.bumpCounter(record.message.id);
        break;
      case 'rating': {
        const { entry } = record;
        this.ratings.set(`${entry.conversationId}\u0000${entry.rating.sessionId}`, entry);
        this.conversations.get(entry.conversationId)?.ratedSessions.add(entry.rating.sessionId);
        break;
      }
      case 'faq-feedback':
        this.faqFeedback.set(`${record.conversationId}\u0000${record.messageId}`, { hitId: record.faqId, helpful: record.helpful, at: record.at });
        break;
      case 'guest-grant':
        this.conversations.get(record.conversationId)?.guestOrders.add(record.orderId);
        break;
    }
    if (record.cmd) {
      const c = this.conversations.get(record.cmd.conversationId);
      if (c && !c.commands.has(record.cmd.commandId)) c.commands.set(record.cmd.commandId, record.cmd.result);
    }
  }

  // ------------------------------------------------------------------ queue

  private queue(): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.routing.phase === 'queued').sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0));
  }

  /** Recomputes every queued conversation's position and wait, announcing the ones that changed. */
  private refreshQueue(): void {
    const queue = this.queue();
    const agentsOnDuty = Math.max(1, new Set([...this.desks.values()].map((d) => d.agent.id)).size);
    queue.forEach((c, i) => {
      const position = i + 1;
      const etaSeconds = Math.round((Math.ceil(position / agentsOnDuty) * this.averageHandleSeconds) / 60) * 60;
      const r = c.routing;
      if (r.phase === 'queued' && r.position === position && r.etaSeconds === etaSeconds) return;
      this.appendEvent(c, { type: 'routing.changed', routing: { phase: 'queued', position, etaSeconds } });
    });
    this.broadcastQueue();
  }

  private broadcastQueue(): void {
    const queue = this.queueItems();
    for (const desk of this.desks.keys()) desk({ kind: 'desk.queue', queue });
  }

  private buyerOf(c: Conversation): DeskBuyer | undefined {
    if (!c.buyerId) return undefined;
    return this.buyers.get(c.buyerId) ?? { id: c.buyerId, ...(c.buyerName ? { name: c.buyerName } : {}) };
  }

  private queueItems(): QueueItem[] {
    return this.queue().map((c, i) => {
      const lastBuyer = [...c.messages].reverse().find((m) => m.author.role === 'buyer');
      const buyer = this.buyerOf(c);
      return {
        conversationId: c.id,
        visitorId: c.visitorId,
        ...(buyer ? { buyer } : {}),
        position: i + 1,
        waitingSince: c.messages.at(-1)?.createdAt ?? c.createdAt,
        preview: lastBuyer && lastBuyer.body.kind === 'text' ? lastBuyer.body.text.slice(0, 140) : '',
      };
    });
  }

  /** The agent's live conversations, and the latest ones they ended (to see the rating come in). */
  private conversationsOf(agent: Agent): Conversation[] {
    const all = [...this.conversations.values()].filter((c) => c.lastAgentId === agent.id);
    const live = all.filter((c) => c.routing.phase === 'agent');
    const recent = all.filter((c) => c.routing.phase !== 'agent').slice(-10);
    return [...live, ...recent];
  }

  private deskView(c: Conversation): DeskConversation {
    const buyer = this.buyerOf(c);
    return { id: c.id, visitorId: c.visitorId, ...(buyer ? { buyer } : {}), routing: c.routing, messages: [...c.messages] };
  }

  private buyerView(buyerId: string): DeskBuyerView | null {
    const buyer = this.buyers.get(buyerId);
    if (!buyer) return null;
    const now = this.now();
    const cases: DeskCase[] = this.casesOf(buyerId).map((c) => {
      const tokens = this.evidence.get(c.id) ?? {};
      const deadline = nextDeadline(c);
      return {
        case: c,
        ...(deadline ? { deadline } : {}),
        evidence: c.request.photos.flatMap((p) => (tokens[p.id] ? [{ photoId: p.id, slot: p.slot, url: this.photoUrl(tokens[p.id]!) }] : [])),
        actions: acceptedEvents(c, now).filter((e) => DESK_CASE_EVENTS.includes(e)),
      };
    });
    const conversationId = this.latestByBuyer.get(buyerId);
    return {
      buyer,
      ...(conversationId ? { conversationId } : {}),
      orders: this.ordersOf(buyerId).map((order) => ({ order, actions: orderDeskActions(order) })),
      cases,
    };
  }

  private refreshBuyer(buyerId: string): void {
    let view: DeskBuyerView | null | undefined;
    for (const [desk, state] of this.desks) {
      if (state.buyerId !== buyerId) continue;
      view ??= this.buyerView(buyerId);
      if (view) desk({ kind: 'desk.buyer', view });
    }
  }

  private inbox(): DeskInbox {
    // Rebuilt from the conversations themselves, so it is as durable as they are.
    const questions: { query: string; hitId: string | null; at: number }[] = [];
    for (const c of this.conversations.values()) {
      c.messages.forEach((m, i) => {
        if (m.author.role !== 'bot' || m.body.kind !== 'text') return;
        const asked = c.messages[i - 1];
        if (!asked || asked.author.role !== 'buyer' || asked.body.kind !== 'text') return; // a welcome, or an answer to a card
        questions.push({ query: asked.body.text, hitId: m.body.faqId ?? null, at: m.createdAt });
      });
    }
    const question = (faqId: string) =>
      (this.faqEntries.find((e) => e.id === faqId && e.locale.startsWith('en')) ?? this.faqEntries.find((e) => e.id === faqId))?.question ?? faqId;
    return {
      buyers: [...this.buyers.values()],
      leftMessages: [...this.leftMessages.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 100),
      tickets: [...this.tickets.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 100),
      ratings: [...this.ratings.values()].sort((a, b) => b.at - a.at).slice(0, 100),
      faqStats: faqStats({ questions, feedback: this.faqFeedback.values(), question }),
    };
  }

  private refreshInbox(): void {
    if (this.desks.size === 0) return;
    const inbox = this.inbox();
    for (const desk of this.desks.keys()) desk({ kind: 'desk.inbox', inbox });
  }

  // ------------------------------------------------------------------ inspection (tests, server, desk)

  /** A conversation's messages, for tests and tools. */
  messagesOf(conversationId: string): readonly Message[] {
    return this.conversations.get(conversationId)?.messages ?? [];
  }

  /** An order by id (any buyer's): for the shop's own tools and tests, never for buyers. */
  order(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  /** A case by id (any buyer's): for the shop's own tools and tests. */
  afterSalesCase(caseId: string): AfterSalesCase | undefined {
    return this.cases.get(caseId);
  }

  /** A stored photo by its token, for serving at its URL. */
  photo(token: string): { mime: PhotoMime; bytes: Uint8Array } | undefined {
    const p = this.photos.get(token);
    if (!p) return undefined;
    p.bytes ??= decodeBase64(p.data) ?? new Uint8Array();
    return { mime: p.mime, bytes: p.bytes };
  }

  /** The desk's shop-wide lists, as `desk.inbox` carries them. */
  deskInbox(): DeskInbox {
    return this.inbox();
  }
}
