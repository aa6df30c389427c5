import type { Author, Message, MessageBody } from '../domain/message.js';
import type { ClientState, OutboxEntry } from './state.js';

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

function fromEntry(entry: OutboxEntry): TimelineItem | null {
  if (entry.command.type !== 'message.send') return null;
  return {
    key: entry.id,
    author: BUYER,
    body: entry.command.body,
    createdAt: entry.createdAt,
    delivery: entry.state === 'failed' ? 'failed' : 'sending',
    ...(entry.error ? { error: entry.error } : {}),
  };
}

const timelineCache = new WeakMap<readonly Message[], WeakMap<readonly OutboxEntry[], readonly TimelineItem[]>>();

/**
 * The conversation as shown: server messages by `seq`, followed by the buyer's unsent messages in
 * the order they were written. Memoised on the two arrays, so it is cheap to call on every render.
 */
export function selectTimeline(state: ClientState): readonly TimelineItem[] {
  let byOutbox = timelineCache.get(state.messages);
  if (!byOutbox) timelineCache.set(state.messages, (byOutbox = new WeakMap()));
  const cached = byOutbox.get(state.outbox);
  if (cached) return cached;
  const confirmed = new Set(state.messages.map((m) => m.clientId).filter(Boolean));
  const items = state.messages.map(fromMessage);
  for (const entry of state.outbox) {
    if (confirmed.has(entry.id)) continue;
    const item = fromEntry(entry);
    if (item) items.push(item);
  }
  byOutbox.set(state.outbox, items);
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
