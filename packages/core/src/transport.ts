import type { XiaoerError } from './errors.js';
import type { ClientFrame, SessionStartFrame } from './protocol/frames.js';

/** What a transport can do; the client branches on these, never on the transport's class. */
export interface TransportCapabilities {
  /** Ephemeral signals (typing) reach the other side. */
  readonly signals: boolean;
  /** The transport replays events after `afterSeq` when a session (re)starts. */
  readonly resume: boolean;
}

export type TransportStatus =
  /** Trying to open the link (first time or after a drop). */
  | { readonly status: 'connecting'; readonly attempt: number }
  /** The link is open and the session frame has been sent. */
  | { readonly status: 'open' }
  /** The link is down; `retryInMs` says when the next attempt starts, if one is planned. */
  | { readonly status: 'closed'; readonly retryInMs?: number; readonly error?: XiaoerError };

/** What a transport reports to the client: link status, each incoming frame (not yet validated), errors. */
export type TransportEvent =
  | ({ readonly type: 'status' } & TransportStatus)
  | { readonly type: 'frame'; readonly data: unknown }
  | { readonly type: 'error'; readonly error: XiaoerError };

export interface TransportConnectOptions {
  /**
   * Called on every (re)connection for the frame that opens the session. The client fills in
   * the latest `afterSeq`, so each reconnect resumes exactly where the device left off.
   */
  readonly hello: () => SessionStartFrame;
  /** Aborting it closes the link for good. */
  readonly signal: AbortSignal;
}

/**
 * The narrow, versioned link between the client and a backend. Implementations live in
 * `@xiaoer/adapters` (WebSocket, HTTP+SSE, in-memory). A transport yields events; it never
 * touches the client's store or any UI.
 *
 * @example
 * const transport = createWebSocketTransport({ url: 'wss://shop.example/xiaoer' })
 * const client = createClient({ transport })
 */
export interface Transport {
  readonly spec: 'v1';
  readonly capabilities: TransportCapabilities;
  /** Opens the link and keeps it open (reconnecting as the transport sees fit) until `signal` aborts. */
  connect(options: TransportConnectOptions): void;
  /** Listens to link status, incoming frames and errors. Returns the unsubscribe function. */
  subscribe(listener: (event: TransportEvent) => void): () => void;
  /**
   * Sends one frame over the open link. Returns false when the link is not open (nothing is
   * queued by the transport: the client's outbox owns retries).
   */
  send(frame: ClientFrame): boolean;
}
