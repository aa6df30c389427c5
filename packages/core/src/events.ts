import { createNanoEvents, type Emitter } from 'nanoevents';
import type { XiaoerError } from './errors.js';
import type { Message } from './domain/message.js';
import type { RoutingState } from './domain/routing.js';
import type { ConnectionState, OutboxEntry } from './store/state.js';
import type { BuyerIdentity } from './protocol/frames.js';

/**
 * Facts the client announces, for integrations and analytics. The UI renders from the store;
 * these are for things that happen once (a message arrived, a command was given up).
 */
export interface ClientEvents {
  /** A message from the server was applied (any author, including the buyer's own echo). */
  'message:received': (message: Message) => void;
  'routing:changed': (routing: RoutingState, previous: RoutingState) => void;
  'connection:changed': (connection: ConnectionState) => void;
  /** The server acknowledged a command. */
  'outbox:acknowledged': (id: string) => void;
  /** A command was given up (refused, or unsent for too long); the buyer can resend it. */
  'outbox:dead-letter': (entry: OutboxEntry) => void;
  /** The host page's `refreshIdentity` gave a fresh signature; the session was renewed with it. */
  'identity:refreshed': (identity: BuyerIdentity) => void;
  /**
   * The buyer's signature expired and no fresh one came (`refreshIdentity` resolved nothing, failed
   * or timed out): the session goes on as an anonymous visitor (no orders); queued messages are still
   * sent. `error.reason` is `identity-expired`, `error.cause` what the callback threw.
   */
  'identity:dropped': (error: XiaoerError) => void;
  /** A malformed frame, a refused command, a storage failure. Never thrown into the page. */
  error: (error: XiaoerError) => void;
}

export type ClientEmitter = Emitter<ClientEvents>;
export const createClientEmitter = (): ClientEmitter => createNanoEvents<ClientEvents>();
