import type { Author, Message, MessageBody } from '../domain/message.js';
import type { ClientState, OutboxEntry } from './state.js';
import type { OutgoingBody } from '../protocol/frames.js';
import type { Order } from '../domain/order.js';
import { orderCard } from '../domain/order-card.js';

/** How far a buyer's message has got. */
export type DeliveryState = 'sending' | 'sent' | 'failed';

/** One row of the conversation as the buyer sees it: confirmed messages, then unsent ones in order. */
export interface TimelineItem {
  /** Stable across the sending → sent change: the client id for the buyer's messages. */
  readonly key: string;
  readonly author: Author;
  readonly body: MessageBody;
  readonly createdAt: number;
  /** For the buyer's own messages. */
  readonly delivery?: DeliveryState;
  readonly error?: { readonly code: string; readonly message: string };
  /** The server message, once it exists. */
  readonly message?: Message;
}

const BUYER: Author = { role: 'buyer' };

function fromMessage(message: Message): TimelineItem {
  return {
    key: message.clientId ?? message.id,
    author: message.author,
    body: message.body,
    createdAt: message.createdAt,
    message,
    ...(message.author.role === 'buyer' ? { delivery: 'sent' as const } : {}),
  };
}

/** How an unsent message looks: what the server will make of it, as far as the device knows. */
function pendingBody(body: OutgoingBody, orders: Readonly<Record<string, Order>>): MessageBody {
  if (body.kind !== 'order-card') return body;
  const order = orders[body.orderId];
  return {
    kind: 'order-card',
    card: order ? orderCard(order) : { orderId: body.orderId, title: body.orderId, itemCount: 0, total: { amount: 0, currency: 'CNY' }, status: '' },
  };
}

function fromEntry(entry: OutboxEntry, orders: Readonly<Record<string, Order>>): TimelineItem | null {
  if (entry.command.type !== 'message.send') return null;
  return {
    key: entry.id,
    author: BUYER,
    body: pendingBody(entry.command.body, orders),
    createdAt: entry.createdAt,
    delivery: entry.state === 'failed' ? 'failed' : 'sending',
    ...(entry.error ? { error: entry.error } : {}),
  };
}

let lastInputs: { messages: readonly Message[]; outbox: readonly OutboxEntry[]; orders: ClientState['orders'] } | null = null;
let lastTimeline: readonly TimelineItem[] = [];

/**
 * The conversation as shown: server messages by `seq`, followed by the buyer's unsent messages in
 * the order they were written. Memoised on its inputs, so it is cheap to call on every render.
 */
export function selectTimeline(state: ClientState): readonly TimelineItem[] {
  const { messages, outbox, orders } = state;
  const hasPendingCard = outbox.some((e) => e.command.type === 'message.send' && e.command.body.kind === 'order-card');
  if (lastInputs && lastInputs.messages === messages && lastInputs.outbox === outbox && (!hasPendingCard || lastInputs.orders === orders)) {
    return lastTimeline;
  }
  const confirmed = new Set(messages.map((m) => m.clientId).filter(Boolean));
  const items = messages.map(fromMessage);
  for (const entry of outbox) {
    if (confirmed.has(entry.id)) continue;
    const item = fromEntry(entry, orders);
    if (item) items.push(item);
  }
  lastInputs = { messages, outbox, orders };
  lastTimeline = items;
  return items;
}

/** Messages from the other side (bot, agent, system) the buyer has not been shown yet. */
export function countFromOthersAfter(state: ClientState, seenSeq: number): number {
  let n = 0;
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.seq <= seenSeq) break;
    if (m.author.role !== 'buyer') n++;
  }
  return n;
}
