import type { Author } from '../domain/message.js';
import type { RoutingState } from '../domain/routing.js';
import type { EventFrame } from '../protocol/frames.js';
import type { ConnectionState, ConversationCache, OutboxEntry } from './state.js';

/** Every way the client's state can change. */
export type Action =
  | { type: 'hydrated'; visitorId: string; cache: ConversationCache | undefined; outbox: readonly OutboxEntry[] }
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'session.ready'; conversationId: string; lastSeq: number; routing: RoutingState }
  | { type: 'event'; frame: EventFrame }
  | { type: 'outbox.enqueued'; entry: OutboxEntry }
  | { type: 'outbox.sending'; id: string }
  | { type: 'outbox.requeued'; id: string }
  | { type: 'outbox.settled'; id: string }
  | { type: 'outbox.failed'; id: string; error: { code: string; message: string } }
  | { type: 'outbox.retry'; id: string; now: number }
  | { type: 'typing'; by: Author | null }
  | { type: 'error'; error: { code: string; message: string } };
