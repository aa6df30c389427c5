import type { BuyerIdentity } from '@xiaoer/core';
import type { WebSocketConstructor } from '../websocket/websocket-transport.js';
import type { EventSourceConstructor } from '../http/sse-transport.js';

/** A check's outcome. `skip`: the check does not apply to this endpoint or these options. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One requirement of the protocol and how the backend met it. */
export interface CheckResult {
  /** Stable id, usable in `only` and `--only` (e.g. `idempotency`). */
  readonly id: string;
  readonly title: string;
  /** The rule this check holds the backend to, quoted from `docs/protocol.md`. */
  readonly requirement: string;
  readonly status: CheckStatus;
  readonly durationMs: number;
  /** For a failure: what was expected and what came instead. For a skip: why. */
  readonly detail?: string;
}

/** What `runConformance` found. */
export interface Report {
  /** The endpoint that was checked. */
  readonly url: string;
  readonly transport: 'websocket' | 'http';
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly checks: readonly CheckResult[];
}

/** A buyer identity signed by the shop's server, or a function that signs a fresh one each time it is called. */
export type IdentitySource = BuyerIdentity | (() => BuyerIdentity | Promise<BuyerIdentity>);

export interface ConformanceOptions {
  /**
   * The endpoint: a `ws://` / `wss://` URL of the WebSocket endpoint, or the `http://` / `https://`
   * base of the HTTP + Server-Sent Events endpoint (the one `createHttpTransport` is given).
   */
  url: string;
  /**
   * A valid signed identity of a buyer the backend knows. Enables the `identity-valid` check and lets
   * the forged-identity checks claim a real buyer and ask for one of their real orders. The forged and
   * expired identity checks run either way.
   */
  identity?: IdentitySource;
  /** The WebSocket implementation; the global one by default (pass `ws` in Node 20). */
  WebSocket?: WebSocketConstructor;
  /** The EventSource implementation; the global one by default (pass `eventsource` in Node). */
  EventSource?: EventSourceConstructor;
  /** The fetch implementation (HTTP endpoints); the global one by default. */
  fetch?: typeof fetch;
  /** Time budget of each check, ms (default 10 000). A check that runs out fails; nothing hangs. */
  timeoutMs?: number;
  /** Run only these checks (ids, or a prefix such as `identity` for every `identity-*` check). */
  only?: readonly string[];
  /** Called as each check finishes. */
  onProgress?: (check: CheckResult) => void;
}
