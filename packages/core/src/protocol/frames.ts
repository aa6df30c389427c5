import * as v from 'valibot';
import { LIMITS } from '../domain/limits.js';
import { MessageBodySchema, MessageSchema, AuthorSchema } from '../domain/message.js';
import { RoutingStateSchema } from '../domain/routing.js';
import { AddressSchema, OrderSchema } from '../domain/order.js';
import { AfterSalesRequestSchema } from '../domain/after-sales/request.js';
import { AfterSalesCaseSchema } from '../domain/after-sales/case.types.js';
import { RatingSchema, ComplaintSchema } from '../domain/satisfaction.js';
import { PROTOCOL_VERSION } from './version.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const Version = v.literal(PROTOCOL_VERSION);

// ---------------------------------------------------------------- client → server

/**
 * A logged-in buyer, as the shop's backend vouches for them: `signature` is
 * HMAC-SHA256(shop secret, `${id}.${expires}`) in lowercase hex, made by the shop's server (the
 * secret never reaches the browser). `expires` is ms since the epoch.
 */
export const BuyerIdentitySchema = v.object({
  id: Id,
  expires: v.pipe(v.number(), v.integer(), v.minValue(0)),
  signature: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  name: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.displayName))),
});
export type BuyerIdentity = v.InferOutput<typeof BuyerIdentitySchema>;

/** Who the visitor is: a random id the device keeps, plus a signed buyer identity when logged in. */
export const VisitorSchema = v.object({
  visitorId: Id,
  name: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.displayName))),
  buyer: v.optional(BuyerIdentitySchema),
});
export type Visitor = v.InferOutput<typeof VisitorSchema>;

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** Largest photo accepted in one `photo.upload`, in bytes (before base64). Clients shrink photos first. */
export const MAX_PHOTO_BYTES = 150 * 1024;

/** What a buyer may send as a message (the server fills in order cards and image URLs). */
export const OutgoingBodySchema = v.variant('kind', [
  v.object({ kind: v.literal('text'), text: Text(LIMITS.messageText) }),
  v.object({ kind: v.literal('image'), photoId: Id }),
  v.object({ kind: v.literal('order-card'), orderId: Id }),
]);
export type OutgoingBody = v.InferOutput<typeof OutgoingBodySchema>;

/** The events a buyer may apply to their own after-sales case. */
export const BuyerCaseEventSchema = v.variant('type', [
  v.object({ type: v.literal('ship-return'), carrier: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(50)), trackingNumber: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40)) }),
  v.object({ type: v.literal('withdraw'), note: v.optional(Text(500)) }),
  v.object({ type: v.literal('escalate'), note: v.optional(Text(500)) }),
  v.object({ type: v.literal('confirm-replacement') }),
]);
export type BuyerCaseEvent = v.InferOutput<typeof BuyerCaseEventSchema>;

/** A command the buyer issues: it changes something. Its frame `id` is the idempotency key. */
export const CommandSchema = v.variant('type', [
  v.object({ type: v.literal('message.send'), body: OutgoingBodySchema }),
  v.object({ type: v.literal('handoff.request') }),
  v.object({ type: v.literal('handoff.cancel') }),
  /** A message left when nobody can answer now; it is answered later in the same conversation. */
  v.object({
    type: v.literal('message.leave'),
    contact: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(100)),
    text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(2000)),
  }),
  /** "Was this helpful?" on a bot answer. */
  v.object({ type: v.literal('faq.feedback'), messageId: Id, helpful: v.boolean() }),
  /** A photo (JPEG/PNG/WebP, base64) for a message or as after-sales evidence; `photoId` is client-made. */
  v.object({
    type: v.literal('photo.upload'),
    photoId: Id,
    mime: v.picklist(['image/jpeg', 'image/png', 'image/webp']),
    data: v.pipe(v.string(), v.maxLength(Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4), v.regex(/^[A-Za-z0-9+/]*={0,2}$/)),
  }),
  v.object({ type: v.literal('order.change-address'), orderId: Id, address: AddressSchema }),
  v.object({ type: v.literal('order.cancel'), orderId: Id }),
  v.object({ type: v.literal('case.open'), orderId: Id, request: AfterSalesRequestSchema }),
  v.object({ type: v.literal('case.act'), caseId: Id, event: BuyerCaseEventSchema }),
  v.object({ type: v.literal('rating.submit'), rating: RatingSchema }),
  v.object({ type: v.literal('complaint.submit'), complaint: ComplaintSchema }),
  /** Asks for a one-time code sent to the order's contact, to look the order up as a guest. */
  v.object({ type: v.literal('guest.code.request'), orderId: Id }),
]);
export type Command = v.InferOutput<typeof CommandSchema>;
export type CommandType = Command['type'];

/** A read: answered by a `result` frame, never stored in the outbox. */
export const QuerySchema = v.variant('type', [
  v.object({ type: v.literal('orders.list'), cursor: v.optional(Text(LIMITS.id)), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))) }),
  v.object({ type: v.literal('order.get'), orderId: Id }),
  v.object({ type: v.literal('cases.list') }),
  v.object({ type: v.literal('faq.entries'), locale: v.optional(Text(35)) }),
  /** Older messages, newest first, before `beforeSeq`. */
  v.object({ type: v.literal('messages.page'), beforeSeq: v.pipe(v.number(), v.integer(), v.minValue(1)), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200))) }),
  /** A guest's look-up of one order by its number and the one-time code. */
  v.object({ type: v.literal('guest.order'), orderId: Id, code: v.pipe(v.string(), v.regex(/^\d{6}$/)) }),
]);
export type Query = v.InferOutput<typeof QuerySchema>;
export type QueryType = Query['type'];

export const ClientFrameSchema = v.variant('kind', [
  v.object({
    v: Version,
    kind: v.literal('session.start'),
    visitor: VisitorSchema,
    /** The conversation to resume, when the device has one. */
    conversationId: v.optional(Id),
    /** The highest event `seq` the device has applied; the server replays everything after it. */
    afterSeq: Seq,
    locale: v.optional(v.pipe(v.string(), v.maxLength(35))),
  }),
  v.object({ v: Version, kind: v.literal('command'), id: Id, command: CommandSchema }),
  v.object({ v: Version, kind: v.literal('query'), id: Id, query: QuerySchema }),
  v.object({ v: Version, kind: v.literal('signal'), signal: v.object({ type: v.literal('typing'), on: v.boolean() }) }),
  v.object({ v: Version, kind: v.literal('ping'), id: Id }),
]);
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;
export type SessionStartFrame = Extract<ClientFrame, { kind: 'session.start' }>;
export type CommandFrame = Extract<ClientFrame, { kind: 'command' }>;

// ---------------------------------------------------------------- server → client

/** Something that happened in a conversation, in order: each carries the conversation's next `seq`. */
export const ConversationEventSchema = v.variant('type', [
  v.object({ type: v.literal('message.created'), message: MessageSchema }),
  v.object({ type: v.literal('routing.changed'), routing: RoutingStateSchema }),
  /** An order of this buyer changed (address, cancel, shipped, delivered): the whole new order. */
  v.object({ type: v.literal('order.updated'), order: OrderSchema }),
  /** An after-sales case of this buyer was opened or moved: the whole new case. */
  v.object({ type: v.literal('case.updated'), case: AfterSalesCaseSchema }),
]);
export type ConversationEvent = v.InferOutput<typeof ConversationEventSchema>;

export const WireErrorSchema = v.object({
  code: v.pipe(v.string(), v.maxLength(64)),
  message: v.pipe(v.string(), v.maxLength(1_000)),
  retryable: v.optional(v.boolean()),
  /** A machine-readable reason the widget can translate (e.g. `already-shipped`). */
  reason: v.optional(v.pipe(v.string(), v.maxLength(64))),
  /** Field-level problems of a refused form: `[{ path, code }]`. */
  fields: v.optional(v.pipe(v.array(v.object({ path: v.pipe(v.string(), v.maxLength(100)), code: v.pipe(v.string(), v.maxLength(64)) })), v.maxLength(50))),
  /** When to retry (429): ms. */
  retryAfterMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type WireError = v.InferOutput<typeof WireErrorSchema>;

export const ServerFrameSchema = v.variant('kind', [
  v.object({
    v: Version,
    kind: v.literal('session.ready'),
    conversationId: Id,
    visitorId: Id,
    /** The conversation's latest `seq` on the server. */
    lastSeq: Seq,
    routing: RoutingStateSchema,
    /** The verified buyer, when the session carried a valid signed identity. */
    buyer: v.optional(v.object({ id: Id, name: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.displayName))) })),
    /** Whether agents are on duty now (business hours). */
    agentsAvailable: v.optional(v.boolean()),
  }),
  v.object({ v: Version, kind: v.literal('event'), conversationId: Id, seq: v.pipe(Seq, v.minValue(1)), event: ConversationEventSchema }),
  /** The command is applied; `result` carries what it made (e.g. `{ caseId }`), when anything. */
  v.object({ v: Version, kind: v.literal('ack'), id: Id, result: v.optional(v.record(v.string(), v.unknown())) }),
  /** The answer to a `query`; its shape depends on the query type and is validated by the client. */
  v.object({ v: Version, kind: v.literal('result'), id: Id, result: v.unknown() }),
  v.object({ v: Version, kind: v.literal('nack'), id: Id, error: WireErrorSchema }),
  v.object({
    v: Version,
    kind: v.literal('signal'),
    conversationId: Id,
    signal: v.object({ type: v.literal('typing'), on: v.boolean(), by: AuthorSchema }),
  }),
  v.object({ v: Version, kind: v.literal('error'), error: WireErrorSchema }),
  v.object({ v: Version, kind: v.literal('pong'), id: Id }),
  /**
   * The session's signed buyer identity expires at `expires` (server clock): the client should get
   * a fresh signature from the host page now and send `session.start` again on the same link. From
   * `expires` on, the server refuses the buyer's commands and queries with `unauthorized` /
   * `identity-expired` / `retryable: true` until it does.
   */
  v.object({ v: Version, kind: v.literal('identity.expiring'), expires: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
]);
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;
export type EventFrame = Extract<ServerFrame, { kind: 'event' }>;
