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

/**
 * A quick action the bot offers under its answer: send `text`, ask for a person, or open one of
 * the widget's views (orders, after-sales, help center, leave a message).
 */
export const SuggestionSchema = v.object({
  label: Name,
  action: v.picklist(['send-text', 'handoff', 'open-orders', 'open-after-sales', 'open-help', 'leave-message']),
  text: v.optional(Text),
});
export type Suggestion = v.InferOutput<typeof SuggestionSchema>;

const Url = v.pipe(v.string(), v.maxLength(2048), v.regex(/^(https?:\/\/|\/(?!\/))/i, 'Expected an http(s) URL or a path'));
const Money = v.object({
  amount: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)),
});

/** What an order card shows: filled in by the server from the order, so a buyer cannot forge it. */
export const OrderCardSchema = v.object({
  orderId: Id,
  title: v.pipe(v.string(), v.maxLength(200)),
  itemCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  total: Money,
  status: v.pipe(v.string(), v.maxLength(32)),
  imageUrl: v.optional(Url),
});
export type OrderCard = v.InferOutput<typeof OrderCardSchema>;

/** What a notice refers to, so the widget can open it (the order that shipped, the case that moved). */
export const NoticeRefSchema = v.object({ type: v.picklist(['order', 'case']), id: Id });
export type NoticeRef = v.InferOutput<typeof NoticeRefSchema>;

/** What a message carries. */
export const MessageBodySchema = v.variant('kind', [
  v.object({ kind: v.literal('text'), text: Text, suggestions: v.optional(v.pipe(v.array(SuggestionSchema), v.maxLength(8))), faqId: v.optional(Id) }),
  v.object({ kind: v.literal('notice'), text: Text, ref: v.optional(NoticeRefSchema) }),
  v.object({ kind: v.literal('image'), photoId: Id, url: v.optional(Url), width: v.optional(v.number()), height: v.optional(v.number()) }),
  v.object({ kind: v.literal('order-card'), card: OrderCardSchema }),
  v.object({
    kind: v.literal('product-card'),
    productId: Id,
    title: v.pipe(v.string(), v.maxLength(200)),
    price: Money,
    imageUrl: v.optional(Url),
    url: v.optional(Url),
  }),
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
export function textBody(draft: string): { ok: true; body: { kind: 'text'; text: string } } | { ok: false; reason: 'empty' | 'too-long' } {
  const text = draft.trim();
  if (text.length === 0) return { ok: false, reason: 'empty' };
  if (text.length > LIMITS.messageText) return { ok: false, reason: 'too-long' };
  return { ok: true, body: { kind: 'text', text } };
}
