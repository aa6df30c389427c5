import {
  TransportError,
  encodeFrame,
  parseFrameText,
  type ClientFrame,
  type Transport,
  type TransportConnectOptions,
} from '@xiaoer/core';
import { fullJitterDelay, type BackoffOptions } from '../shared/backoff.js';
import { browserEnvironment, type LinkEnvironment } from '../shared/environment.js';
import { createTransportListeners } from '../shared/listeners.js';

/** The subset of the WHATWG EventSource this transport uses (the `eventsource` package satisfies it too). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: { data: string; lastEventId?: string }) => void): void;
  close(): void;
}
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export interface HttpTransportOptions {
  /** Base URL of the backend's Xiaoer HTTP endpoint, e.g. `https://shop.example/xiaoer/http`. */
  url: string;
  /** The EventSource implementation; the global one by default. */
  EventSource?: EventSourceConstructor;
  /** The fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  /** A stream silent for this long is dead (the server sends a comment every 15 s). */
  deadAfterMs?: number;
  environment?: LinkEnvironment;
}

const CLOSED = 2;

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A Transport for hosts where WebSockets are blocked: server events arrive over Server-Sent Events
 * (`GET {url}/events?hello=…`), commands go up with `fetch` (`POST {url}/frames?connection=…`).
 *
 * Each stream opens with the client's `hello` (its last applied sequence inside), the server names
 * the connection in a first `connection` event, and every conversation event carries its sequence
 * as the SSE id — so when the browser reconnects a dropped stream by itself, `Last-Event-ID` tells
 * the server where to resume. When the stream is refused or goes silent, the transport dials a new
 * one (fresh `hello`, backoff with full jitter).
 *
 * @example
 * const transport = createHttpTransport({ url: 'https://shop.example/xiaoer/http' })
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const Source = options.EventSource ?? (globalThis.EventSource as unknown as EventSourceConstructor | undefined);
  const doFetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
  const deadAfterMs = options.deadAfterMs ?? 45_000;
  const env = options.environment ?? browserEnvironment;
  const base = options.url.replace(/\/+$/, '');
  const { emit, subscribe } = createTransportListeners();

  let connectionId: string | null = null;
  /** Frames POST in order: each waits for the one before it. */
  let postChain: Promise<unknown> = Promise.resolve();
  let onPostFailure: (() => void) | null = null;
  /**
   * POSTs on the wire. A POST on a half-open connection never settles by itself, and every later
   * frame waits behind it in `postChain`: without a bound, commands stayed stuck after the stream
   * had long been re-opened (chaos test: a stalled link held messages ~6 s here, until the OS gives
   * up in the field). So a POST is aborted when its connection is dropped or after `deadAfterMs`.
   */
  const inFlight = new Set<AbortController>();
  const abortPosts = () => {
    for (const controller of inFlight) controller.abort();
    inFlight.clear();
  };

  const send = (frame: ClientFrame): boolean => {
    const id = connectionId;
    if (!id || !doFetch) return false;
    const body = encodeFrame(frame);
    postChain = postChain.then(async () => {
      // Its connection is gone while it waited its turn: the outbox resends it in the next session.
      if (connectionId !== id) return;
      const controller = new AbortController();
      inFlight.add(controller);
      const timer = setTimeout(() => controller.abort(), deadAfterMs);
      try {
        const res = await doFetch(`${base}/frames?connection=${encodeURIComponent(id)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          keepalive: body.length < 60_000,
          signal: controller.signal,
        });
        // 404: the server forgot this connection (restart). The outbox resends after the new session.
        if (!res.ok && connectionId === id) onPostFailure?.();
      } catch {
        if (connectionId === id) onPostFailure?.();
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
      }
    });
    return true;
  };

  function connect({ hello, signal }: TransportConnectOptions): void {
    if (!Source || !doFetch) {
      emit({ type: 'status', status: 'closed', error: new TransportError('no EventSource or fetch available') });
      return;
    }
    let attempt = 0;
    let source: EventSourceLike | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let silenceTimer: ReturnType<typeof setTimeout> | undefined;

    const heard = () => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => drop(new TransportError('no data from the server (dead stream)')), deadAfterMs);
    };

    const drop = (error?: TransportError) => {
      clearTimeout(silenceTimer);
      const s = source;
      source = null;
      connectionId = null;
      abortPosts();
      s?.close();
      if (signal.aborted) return;
      attempt++;
      const delay = env.isOnline() ? fullJitterDelay(attempt, options.backoff) : undefined;
      emit({ type: 'status', status: 'closed', ...(delay === undefined ? {} : { retryInMs: delay }), ...(error ? { error } : {}) });
      clearTimeout(retryTimer);
      if (delay !== undefined) retryTimer = setTimeout(dial, delay);
    };
    onPostFailure = () => drop(new TransportError('the server refused a frame for this connection'));

    function dial() {
      clearTimeout(retryTimer);
      if (signal.aborted || source) return;
      emit({ type: 'status', status: 'connecting', attempt });
      const s = new Source!(`${base}/events?hello=${base64url(JSON.stringify(hello()))}`);
      source = s;
      heard();
      s.addEventListener('connection', (event) => {
        if (source !== s) return;
        heard();
        connectionId = event.data;
        attempt = 0;
        emit({ type: 'status', status: 'open' });
      });
      s.addEventListener('message', (event) => {
        if (source !== s) return;
        heard();
        const parsed = parseFrameText(event.data);
        emit(parsed.ok ? { type: 'frame', data: parsed.value } : { type: 'error', error: parsed.error });
      });
      s.addEventListener('ping', () => {
        if (source === s) heard();
      });
      s.onerror = () => {
        if (source !== s) return;
        // CONNECTING: the browser is already reconnecting with Last-Event-ID; the new stream sends
        // a fresh `connection` event. CLOSED: it gave up (an HTTP error): we dial again ourselves.
        connectionId = null;
        if (s.readyState === CLOSED) drop(new TransportError('the event stream was refused'));
        else emit({ type: 'status', status: 'connecting', attempt: attempt + 1 });
      };
    }

    const offWake = env.onWake(() => {
      if (!source && !signal.aborted) {
        attempt = 0;
        dial();
      }
    });
    const offOffline = env.onOffline(() => {
      if (source) drop(new TransportError('the device went offline'));
    });
    signal.addEventListener(
      'abort',
      () => {
        offWake();
        offOffline();
        clearTimeout(retryTimer);
        clearTimeout(silenceTimer);
        source?.close();
        source = null;
        connectionId = null;
        abortPosts();
        onPostFailure = null;
        emit({ type: 'status', status: 'closed' });
      },
      { once: true },
    );
    dial();
  }

  return {
    spec: 'v1',
    capabilities: { signals: true, resume: true },
    connect,
    subscribe,
    send,
  };
}
