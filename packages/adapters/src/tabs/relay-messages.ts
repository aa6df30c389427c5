import { TransportError, type ClientFrame, type SessionStartFrame, type TransportStatus } from '@xiaoer/core';

/**
 * What the tabs of one store say to each other over their BroadcastChannel. Every message names
 * the tab it comes `from`; the leader's answers to one follower name it in `to`.
 */
export type RelayMessage =
  /** A follower that just started asks the leader for its link status. */
  | { readonly t: 'hi'; readonly from: string }
  /** The leader's link status, on every change and in answer to `hi`. */
  | { readonly t: 'status'; readonly from: string; readonly status: WireStatus }
  /** A frame from the server: to every tab, or (an answer to one tab's command or query) to `to` only. */
  | { readonly t: 'frame'; readonly from: string; readonly to?: string; readonly data: unknown }
  /** A follower's session frame, for the leader to send so the server replays what the follower lacks. */
  | { readonly t: 'join'; readonly from: string; readonly hello: SessionStartFrame }
  /** A follower's frame for the leader to send on the link. */
  | { readonly t: 'send'; readonly from: string; readonly frame: ClientFrame };

/** A TransportStatus that survives structured cloning (an error's class does not). */
export type WireStatus =
  | { readonly status: 'connecting'; readonly attempt: number }
  | { readonly status: 'open' }
  | { readonly status: 'closed'; readonly retryInMs?: number; readonly error?: string };

export function toWireStatus(status: TransportStatus): WireStatus {
  if (status.status !== 'closed') return status.status === 'open' ? { status: 'open' } : { status: 'connecting', attempt: status.attempt };
  return {
    status: 'closed',
    ...(status.retryInMs === undefined ? {} : { retryInMs: status.retryInMs }),
    ...(status.error ? { error: status.error.message } : {}),
  };
}

export function fromWireStatus(status: WireStatus): TransportStatus {
  if (status.status !== 'closed') return status;
  return {
    status: 'closed',
    ...(status.retryInMs === undefined ? {} : { retryInMs: status.retryInMs }),
    ...(status.error === undefined ? {} : { error: new TransportError(status.error) }),
  };
}

const ANSWER_KINDS = new Set(['ack', 'nack', 'result', 'pong']);

/** The id of a server frame that answers one frame (ack, nack, result, pong), else undefined. */
export function answeredId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { kind, id } = data as { kind?: unknown; id?: unknown };
  return typeof kind === 'string' && ANSWER_KINDS.has(kind) && typeof id === 'string' ? id : undefined;
}

/** The id a client frame will be answered under (commands, queries, pings), else undefined. */
export function requestId(frame: ClientFrame): string | undefined {
  return 'id' in frame && typeof frame.id === 'string' ? frame.id : undefined;
}
