import * as v from 'valibot';
import { LIMITS } from '../domain/limits.js';
import { MessageBodySchema, MessageSchema, AuthorSchema } from '../domain/message.js';
import { RoutingStateSchema } from '../domain/routing.js';
import { PROTOCOL_VERSION } from './version.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const Version = v.literal(PROTOCOL_VERSION);

// ---------------------------------------------------------------- client → server

/** Who the visitor is. `visitorId` is a random id the device keeps; a signed buyer identity comes later. */
export const VisitorSchema = v.object({
  visitorId: Id,
  name: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.displayName))),
});
export type Visitor = v.InferOutput<typeof VisitorSchema>;

/** A command the buyer issues. Its frame `id` is the idempotency key. */
export const CommandSchema = v.variant('type', [
  v.object({ type: v.literal('message.send'), body: MessageBodySchema }),
  v.object({ type: v.literal('handoff.request') }),
  v.object({ type: v.literal('handoff.cancel') }),
]);
export type Command = v.InferOutput<typeof CommandSchema>;

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
]);
export type ConversationEvent = v.InferOutput<typeof ConversationEventSchema>;

export const WireErrorSchema = v.object({
  code: v.pipe(v.string(), v.maxLength(64)),
  message: v.pipe(v.string(), v.maxLength(1_000)),
  retryable: v.optional(v.boolean()),
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
  }),
  v.object({ v: Version, kind: v.literal('event'), conversationId: Id, seq: v.pipe(Seq, v.minValue(1)), event: ConversationEventSchema }),
  v.object({ v: Version, kind: v.literal('ack'), id: Id }),
  v.object({ v: Version, kind: v.literal('nack'), id: Id, error: WireErrorSchema }),
  v.object({
    v: Version,
    kind: v.literal('signal'),
    conversationId: Id,
    signal: v.object({ type: v.literal('typing'), on: v.boolean(), by: AuthorSchema }),
  }),
  v.object({ v: Version, kind: v.literal('error'), error: WireErrorSchema }),
  v.object({ v: Version, kind: v.literal('pong'), id: Id }),
]);
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;
export type EventFrame = Extract<ServerFrame, { kind: 'event' }>;
