import type { Author, Message } from '../domain/message.js';
import type { RoutingState } from '../domain/routing.js';
import type { EventFrame } from '../protocol/frames.js';
import type { Order } from '../domain/order.js';
import type { AfterSalesCase } from '../domain/after-sales/case.types.js';
import type { ConnectionState, ConversationCache, OutboxEntry } from './state.js';

/** Every way the client's state can change. */
export type Action =
  | { type: 'hydrated'; visitorId: string; cache: ConversationCache | undefined; outbox: readonly OutboxEntry[] }
  | { type: 'connection'; connection: ConnectionState }
  | {
      type: 'session.ready';
      conversationId: string;
      lastSeq: number;
      routing: RoutingState;
      buyer: { id: string; name?: string } | null;
      agentsAvailable: boolean;
    }
  | { type: 'orders.listed'; orders: readonly Order[]; nextCursor: string | null; append: boolean }
  | { type: 'orders.put'; orders: readonly Order[] }
  | { type: 'cases.put'; cases: readonly AfterSalesCase[] }
  | { type: 'event'; frame: EventFrame }
  /** A page of messages older than the first one held (`complete`: there are none before it). */
  | { type: 'messages.older'; conversationId: string; messages: readonly Message[]; complete: boolean }
  | { type: 'outbox.enqueued'; entry: OutboxEntry }
  | { type: 'outbox.sending'; id: string }
  | { type: 'outbox.requeued'; id: string }
  | { type: 'outbox.settled'; id: string }
  | { type: 'outbox.failed'; id: string; error: { code: string; message: string } }
  | { type: 'outbox.retry'; id: string; now: number }
  | { type: 'typing'; by: Author | null }
  | { type: 'error'; error: { code: string; message: string } };
