import * as v from 'valibot';
import { LIMITS } from './limits.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));
const Name = v.pipe(v.string(), v.maxLength(LIMITS.displayName));
const Text = v.pipe(v.string(), v.maxLength(LIMITS.messageText));

/** Who wrote a message. */
export const AuthorSchema = v.object({
  role: v.picklist(['buyer', 'bot', 'agent', 'system']),
  name: v.optional(Name),
});
export type Author = v.InferOutput<typeof AuthorSchema>;
export type AuthorRole = Author['role'];

/** A quick reply the bot offers under its answer; choosing it sends `text` (or runs `action`). */
export const SuggestionSchema = v.object({
  label: Name,
  action: v.picklist(['send-text', 'handoff']),
  text: v.optional(Text),
});
export type Suggestion = v.InferOutput<typeof SuggestionSchema>;

/** What a message carries. More kinds (image, order card, product card) arrive with later protocol versions. */
export const MessageBodySchema = v.variant('kind', [
  v.object({ kind: v.literal('text'), text: Text, suggestions: v.optional(v.pipe(v.array(SuggestionSchema), v.maxLength(8))) }),
  v.object({ kind: v.literal('notice'), text: Text }),
]);
export type MessageBody = v.InferOutput<typeof MessageBodySchema>;

/** A message the server has accepted: it has a server id and a place (`seq`) in the conversation. */
export const MessageSchema = v.object({
  id: Id,
  /** The client id the buyer's device gave it (its idempotency key), when the buyer sent it. */
  clientId: v.optional(Id),
  conversationId: Id,
  seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
  author: AuthorSchema,
  body: MessageBodySchema,
  /** Milliseconds since the epoch, server time. */
  createdAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type Message = v.InferOutput<typeof MessageSchema>;

/** Parses a buyer's draft into a message body, or explains why it cannot be sent. */
export function textBody(draft: string): { ok: true; body: MessageBody } | { ok: false; reason: 'empty' | 'too-long' } {
  const text = draft.trim();
  if (text.length === 0) return { ok: false, reason: 'empty' };
  if (text.length > LIMITS.messageText) return { ok: false, reason: 'too-long' };
  return { ok: true, body: { kind: 'text', text } };
}
