import {
  IDENTITY_EXPIRED,
  LIMITS,
  PROTOCOL_VERSION,
  parseFrameText,
  validateClientFrame,
  type AfterSalesRequest,
  type BuyerIdentity,
  type ClientFrame,
  type Command,
  type Query,
  type ServerFrame,
  type WireError,
} from '@xiaoer/core';
import { explainCaseRequest } from './commerce.js';
import { relayBuyerTyping } from './desk.js';
import { fail, refuse, type Outcome } from './outcome.js';
import { identityExpired, watchIdentityExpiry } from './identity-expiry.js';
import type { Context, Conversation, Session, Sink } from './state.js';

/** A buyer the shop vouches for. */
export interface VerifiedBuyer {
  readonly id: string;
  readonly name?: string;
}

export interface BuyerConnectionOptions {
  /**
   * A buyer the connection itself vouches for (the in-process transport: there is no network
   * boundary to cross). Takes precedence over any identity in `session.start`.
   */
  buyer?: VerifiedBuyer;
}

export interface BuyerConnection {
  /** Handles one frame from the buyer: JSON text or an already-parsed value. Never throws. */
  receive(data: unknown): void;
  close(): void;
}

/** What a buyer connection hands on once a frame is known to be a well-formed, in-session request. */
export interface BuyerHandlers {
  verifyBuyer?: (identity: BuyerIdentity, now: number) => VerifiedBuyer | null;
  runCommand(session: Session, conversation: Conversation, commandId: string, command: Command): Outcome;
  runQuery(session: Session, conversation: Conversation, query: Query): Outcome<unknown>;
}

/**
 * The buyer's side of the wire protocol: decoding frames, the session handshake and replay, and
 * acknowledging each command exactly once however often it is resent.
 */
export function connectBuyer(ctx: Context, handlers: BuyerHandlers, sink: Sink<ServerFrame>, options: BuyerConnectionOptions = {}): BuyerConnection {
  let session: Session | null = null;
  let stopExpiryWatch = () => {};
  const send = (frame: ServerFrame) => {
    try {
      sink(frame);
    } catch {
      /* a broken sink must not break the backend */
    }
  };
  const detach = () => {
    stopExpiryWatch();
    if (session) ctx.state.buyerSinks.get(session.conversationId)?.delete(send);
  };
  return {
    receive: (data) => {
      const raw = typeof data === 'string' ? parseFrameText(data) : { ok: true as const, value: data };
      const decoded = raw.ok ? validateClientFrame(raw.value) : raw;
      if (!decoded.ok) {
        const answered = raw.ok && answerMalformed(ctx, raw.value, session, send);
        if (!answered) send({ v: PROTOCOL_VERSION, kind: 'error', error: refuse('protocol', decoded.error.message) });
        return;
      }
      const frame = decoded.frame;
      if (frame.kind === 'session.start') {
        detach();
        // A second session.start on an open link is how a client renews an expiring identity
        // (or drops it): the session restarts as on a new connection.
        session = startSession(ctx, handlers, frame, send, options.buyer);
        if (session.identityExpires !== undefined) stopExpiryWatch = watchIdentityExpiry(ctx.config.now, session.identityExpires, ctx.config.identityWarningMs, send);
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
      handleBuyerFrame(ctx, handlers, session, frame, send);
    },
    close: detach,
  };
}

/**
 * A command or query that fails validation but carries an id is answered with a `nack` for that
 * id, so the client stops resending it (an `error` frame would leave it waiting). A case request
 * the schema refuses (say, ten photos) is explained field by field by core's request rules.
 */
function answerMalformed(ctx: Context, value: unknown, session: Session | null, send: Sink<ServerFrame>): boolean {
  const frame = value as { v?: unknown; kind?: unknown; id?: unknown; command?: { type?: unknown; orderId?: unknown; request?: unknown } } | null;
  if (typeof frame !== 'object' || frame === null || frame.v !== PROTOCOL_VERSION) return false;
  if ((frame.kind !== 'command' && frame.kind !== 'query') || typeof frame.id !== 'string' || frame.id.length === 0 || frame.id.length > LIMITS.id) return false;
  const command = frame.command;
  if (session?.buyerId && frame.kind === 'command' && command?.type === 'case.open' && typeof command.orderId === 'string' && typeof command.request === 'object' && command.request) {
    const error = explainCaseRequest(ctx.state, session, command.orderId, command.request as AfterSalesRequest, ctx.config.now);
    if (error) {
      send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error });
      return true;
    }
  }
  send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: refuse('protocol', `invalid ${frame.kind} frame`) });
  return true;
}

function startSession(ctx: Context, handlers: BuyerHandlers, frame: Extract<ClientFrame, { kind: 'session.start' }>, send: Sink<ServerFrame>, trusted?: VerifiedBuyer): Session {
  const { state, config, ledger } = ctx;
  const visitorId = frame.visitor.visitorId;
  const now = config.now();
  let buyer: VerifiedBuyer | null = trusted ?? null;
  let identityError: WireError | null = null;
  const claim = frame.visitor.buyer;
  if (!buyer && claim) {
    if (claim.expires <= now) identityError = refuse('unauthorized', 'the buyer identity has expired', { reason: IDENTITY_EXPIRED });
    else {
      const verified = handlers.verifyBuyer?.(claim, now) ?? null;
      if (verified) buyer = verified;
      else identityError = refuse('unauthorized', 'the buyer identity could not be verified', { reason: 'identity-invalid' });
    }
  }
  if (buyer && !state.buyers.has(buyer.id)) state.buyers.set(buyer.id, { id: buyer.id, ...(buyer.name ? { name: buyer.name } : {}) });
  const name = buyer ? (state.buyers.get(buyer.id)?.name ?? buyer.name) : undefined;

  let conversation: Conversation | undefined;
  if (buyer) {
    // A buyer has one conversation, whichever device they come from.
    const id = state.latestByBuyer.get(buyer.id);
    conversation = id ? state.conversations.get(id) : undefined;
    conversation ??= ledger.createConversation(visitorId, frame.locale ?? 'zh-CN', { id: buyer.id, ...(name ? { name } : {}) });
  } else {
    // An anonymous visitor only ever resumes their own anonymous conversation — never a buyer's,
    // even one started on this device before logging out.
    const asked = frame.conversationId ? state.conversations.get(frame.conversationId) : undefined;
    conversation = asked && asked.visitorId === visitorId && !asked.buyerId ? asked : undefined;
    if (!conversation) {
      const latest = state.latestAnonymousByVisitor.get(visitorId);
      conversation = latest ? state.conversations.get(latest) : undefined;
    }
    conversation ??= ledger.createConversation(visitorId, frame.locale ?? 'zh-CN');
  }

  let set = state.buyerSinks.get(conversation.id);
  if (!set) state.buyerSinks.set(conversation.id, (set = new Set()));
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
    agentsAvailable: config.isOpen(now),
  });
  // The device is ahead of us only if our history was lost: then it gets everything again.
  const from = frame.afterSeq > lastSeq || frame.conversationId !== conversation.id ? 0 : frame.afterSeq;
  for (const { seq, event } of conversation.events) {
    if (seq > from) send({ v: PROTOCOL_VERSION, kind: 'event', conversationId: conversation.id, seq, event });
  }
  // After ready (which clears the client's last error), so the refusal stays visible.
  if (identityError) send({ v: PROTOCOL_VERSION, kind: 'error', error: identityError });
  return {
    conversationId: conversation.id,
    buyerId: buyer?.id ?? null,
    // Only a signed claim expires; a buyer the connection itself vouches for does not.
    ...(buyer && !trusted && claim ? { identityExpires: claim.expires } : {}),
  };
}

function handleBuyerFrame(ctx: Context, handlers: BuyerHandlers, session: Session, frame: ClientFrame, send: Sink<ServerFrame>): void {
  const conversation = ctx.state.conversations.get(session.conversationId)!;
  if (frame.kind === 'signal') {
    relayBuyerTyping(ctx.state, conversation, frame.signal.on);
    return;
  }
  if ((frame.kind === 'command' || frame.kind === 'query') && identityHasExpired(ctx, session) && !(frame.kind === 'query' && frame.query.type === 'faq.entries')) {
    // The conversation, orders and cases are the buyer's: nothing of them without a live signature.
    // Retryable, so the client renews and resends instead of giving the command up.
    send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: identityExpired() });
    return;
  }
  if (frame.kind === 'query') {
    let outcome: Outcome<unknown>;
    try {
      outcome = handlers.runQuery(session, conversation, frame.query);
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
    outcome = handlers.runCommand(session, conversation, frame.id, frame.command);
    ctx.ledger.settle(outcome.ok);
  } catch (error) {
    outcome = fail('internal', error instanceof Error ? error.message : 'command failed', { retryable: true });
  } finally {
    ctx.ledger.abandon();
  }
  if (outcome.ok) send({ v: PROTOCOL_VERSION, kind: 'ack', id: frame.id, ...(outcome.result ? { result: { ...outcome.result } } : {}) });
  else send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: outcome.error });
}

function identityHasExpired(ctx: Context, session: Session): boolean {
  return session.identityExpires !== undefined && ctx.config.now() >= session.identityExpires;
}
