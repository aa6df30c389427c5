import {
  PROTOCOL_VERSION,
  ProtocolError,
  TransportError,
  createClientId,
  encodeFrame,
  parseFrameText,
  type ClientFrame,
  type Transport,
  type TransportConnectOptions,
} from '@xiaoer/core';
import { fullJitterDelay, type BackoffOptions } from '../shared/backoff.js';
import { browserEnvironment, type LinkEnvironment } from '../shared/environment.js';
import { createTransportListeners } from '../shared/listeners.js';

/** The subset of the WHATWG WebSocket this transport uses (the `ws` package satisfies it too). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** `ws://` or `wss://` URL of the backend's Xiaoer endpoint. */
  url: string;
  /** The WebSocket implementation; the global one by default (pass `ws` in Node 20). */
  WebSocket?: WebSocketConstructor;
  backoff?: BackoffOptions;
  /** How often to ping an idle link. */
  heartbeatMs?: number;
  /** A link that has not answered for this long is dead, even if the socket still looks open (half-open). */
  deadAfterMs?: number;
  /** Online/visibility signals; the browser's by default. */
  environment?: LinkEnvironment;
}

const OPEN = 1;

/**
 * A Transport over one WebSocket, kept open until aborted: reconnects with exponential backoff and
 * full jitter, detects dead links by heartbeat, retries at once when the device comes back online or
 * the page becomes visible, and opens every session with the client's `hello` (which carries the last
 * applied sequence, so the server resumes from there).
 *
 * @example
 * const transport = createWebSocketTransport({ url: 'wss://shop.example/xiaoer/ws' })
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const Impl = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  const deadAfterMs = options.deadAfterMs ?? heartbeatMs * 2;
  const env = options.environment ?? browserEnvironment;
  const { emit, subscribe } = createTransportListeners();

  let socket: WebSocketLike | null = null;
  let open = false;

  const send = (frame: ClientFrame): boolean => {
    if (!socket || !open || socket.readyState !== OPEN) return false;
    try {
      socket.send(encodeFrame(frame));
      return true;
    } catch {
      return false;
    }
  };

  function connect({ hello, signal }: TransportConnectOptions): void {
    if (!Impl) {
      emit({ type: 'status', status: 'closed', error: new TransportError('no WebSocket implementation available') });
      return;
    }
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
    let handshakeTimer: ReturnType<typeof setTimeout> | undefined;
    let lastHeard = 0;

    const stopHeartbeat = () => {
      clearInterval(heartbeatTimer);
      clearTimeout(handshakeTimer);
    };

    const scheduleRetry = (error?: TransportError) => {
      if (signal.aborted) return;
      const delay = env.isOnline() ? fullJitterDelay(attempt, options.backoff) : undefined;
      emit({ type: 'status', status: 'closed', ...(delay === undefined ? {} : { retryInMs: delay }), ...(error ? { error } : {}) });
      clearTimeout(retryTimer);
      // Offline: wait for the 'online' event rather than burning attempts.
      if (delay !== undefined) retryTimer = setTimeout(dial, delay);
    };

    const dropSocket = (s: WebSocketLike) => {
      s.onopen = s.onclose = s.onmessage = null;
      // Keep an error listener: closing a socket that is still CONNECTING makes `ws` (Node) emit an
      // 'error' event a tick later, and an EventEmitter 'error' with no listener is an uncaught
      // exception (seen on stop()/reload during a stalled handshake). Browsers just fire and forget.
      s.onerror = () => {};
      try {
        s.close(4000, 'client closing');
      } catch {
        /* already closed */
      }
    };

    const lost = (s: WebSocketLike, error?: TransportError) => {
      if (socket !== s) return;
      socket = null;
      open = false;
      stopHeartbeat();
      dropSocket(s);
      attempt++;
      scheduleRetry(error);
    };

    function dial() {
      clearTimeout(retryTimer);
      if (signal.aborted || socket) return;
      emit({ type: 'status', status: 'connecting', attempt });
      let s: WebSocketLike;
      try {
        s = new Impl!(options.url);
      } catch (cause) {
        attempt++;
        scheduleRetry(new TransportError(`cannot open ${options.url}`, { cause }));
        return;
      }
      socket = s;
      // A handshake swallowed by a dead network never fails by itself (the OS may wait minutes):
      // give it as long as an open link may stay silent, then dial again. Without this the client
      // sat on a black-holed handshake after the network had come back (chaos test).
      handshakeTimer = setTimeout(() => lost(s, new TransportError('no answer while connecting (dead link)')), deadAfterMs);
      s.onopen = () => {
        if (socket !== s) return;
        clearTimeout(handshakeTimer);
        open = true;
        attempt = 0;
        lastHeard = Date.now();
        emit({ type: 'status', status: 'open' });
        send(hello());
        stopHeartbeat();
        heartbeatTimer = setInterval(() => {
          if (Date.now() - lastHeard > deadAfterMs) {
            lost(s, new TransportError('no answer from the server (dead link)'));
            return;
          }
          send({ v: PROTOCOL_VERSION, kind: 'ping', id: createClientId('p') });
        }, heartbeatMs);
      };
      s.onmessage = (event) => {
        if (socket !== s) return;
        lastHeard = Date.now();
        const parsed = parseFrameText(event.data);
        if (parsed.ok) emit({ type: 'frame', data: parsed.value });
        else emit({ type: 'error', error: parsed.error instanceof ProtocolError ? parsed.error : new ProtocolError(String(parsed.error)) });
      };
      s.onerror = () => {
        /* followed by close; handled there */
      };
      s.onclose = (event) => lost(s, new TransportError(`connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`));
    }

    const wake = () => {
      if (signal.aborted) return;
      if (!socket) {
        attempt = 0;
        dial();
      } else if (open) {
        // The page was hidden a while: make sure the link is still alive now.
        send({ v: PROTOCOL_VERSION, kind: 'ping', id: createClientId('p') });
      }
    };
    const offWake = env.onWake(wake);
    const offOffline = env.onOffline(() => {
      if (socket) lost(socket, new TransportError('the device went offline'));
    });

    signal.addEventListener(
      'abort',
      () => {
        offWake();
        offOffline();
        clearTimeout(retryTimer);
        stopHeartbeat();
        const s = socket;
        socket = null;
        open = false;
        if (s) dropSocket(s);
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
