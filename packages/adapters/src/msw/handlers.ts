import { http, HttpResponse, type HttpHandler } from 'msw';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type ServerFrame } from '@xiaoer/core';
import { SupportBackend, type BuyerConnection } from '../memory/index.js';

export interface XiaoerHandlersOptions {
  /**
   * The endpoint's base, as given to `createHttpTransport({ url })`. An absolute URL matches that
   * origin only; a path (`/xiaoer/http`, the default) matches it on any origin, so the same
   * handlers work in the browser (Storybook) and in Node (`msw/node`).
   */
  baseUrl?: string;
  /** The in-process backend the buyers talk to; a fresh demo one by default. */
  backend?: SupportBackend;
  /** A `ping` event this often, like the reference server (15 s). 0 turns it off. */
  heartbeatMs?: number;
}

export type XiaoerHandlers = HttpHandler[] & {
  /** The backend behind the handlers: act as the agent with `backend.connectAgent(…)`. */
  readonly backend: SupportBackend;
  /** Streams open now. */
  readonly openStreams: number;
  /** Ends every open stream and closes its backend connection. */
  close(): void;
};

/** The protocol's bound on an error's message (`WireErrorSchema` in core). */
const MAX_ERROR_MESSAGE = 1_000;

function boundedFrame(frame: ServerFrame): ServerFrame {
  if ((frame.kind === 'error' || frame.kind === 'nack') && frame.error.message.length > MAX_ERROR_MESSAGE) {
    return { ...frame, error: { ...frame.error, message: `${frame.error.message.slice(0, MAX_ERROR_MESSAGE - 1)}…` } };
  }
  return frame;
}

function receiveSafely(connection: BuyerConnection, data: unknown, send: (frame: ServerFrame) => void): void {
  try {
    connection.receive(data);
  } catch {
    send({ v: PROTOCOL_VERSION, kind: 'error', error: { code: 'protocol', message: 'the frame could not be read', retryable: false } });
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Browser-safe base64url → JSON (no Buffer). */
function decodeHello(param: string | null): unknown {
  if (!param || param.length > MAX_FRAME_BYTES) return null;
  try {
    const b64 = param.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return null;
  }
}

/** An SSE event id is `<conversationId>:<seq>`. */
function parseEventId(header: string | null): { conversationId: string; seq: number } | null {
  if (header === null) return null;
  const at = header.lastIndexOf(':');
  const seq = Number(header.slice(at + 1));
  const conversationId = header.slice(0, at);
  return at > 0 && Number.isInteger(seq) && seq >= 0 && conversationId.length <= 128 ? { conversationId, seq } : null;
}

function endpoint(base: string, path: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? `*${trimmed}${path}` : `${trimmed}${path}`;
}

/**
 * msw request handlers that play the reference server's HTTP + Server-Sent Events endpoint in
 * process, over an in-memory `SupportBackend`: for Storybook and unit tests of a widget that uses
 * `createHttpTransport`.
 *
 * - `GET {baseUrl}/events?hello=<base64url session.start>` → `text/event-stream`: an `event:
 *   connection` naming the connection, then every server frame as `data:` (conversation events
 *   with `id: <conversationId>:<seq>`); `Last-Event-ID` resumes after that event. The stream and
 *   its backend connection close when the request is aborted.
 * - `POST {baseUrl}/frames?connection=<id>` → 202 once the backend has the frame; 404 for an
 *   unknown connection; 413 over 256 KiB.
 *
 * @example
 * const handlers = createXiaoerHandlers({ baseUrl: 'http://shop.test/xiaoer/http' });
 * const server = setupServer(...handlers);
 * const desk = handlers.backend.connectAgent(handlers.backend.listAgents()[0]!, (frame) => …);
 */
export function createXiaoerHandlers(options: XiaoerHandlersOptions = {}): XiaoerHandlers {
  const baseUrl = options.baseUrl ?? '/xiaoer/http';
  const backend = options.backend ?? new SupportBackend();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Map<string, { connection: BuyerConnection; write: (frame: ServerFrame) => void; end: () => void }>();
  const encoder = new TextEncoder();

  const events = http.get(endpoint(baseUrl, '/events'), ({ request }) => {
    const url = new URL(request.url);
    const hello = decodeHello(url.searchParams.get('hello')) as Record<string, unknown> | null;
    if (!hello || typeof hello !== 'object' || hello.kind !== 'session.start') {
      return new HttpResponse('hello must be a base64url session.start frame', {
        status: 400,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    const resumeFrom = parseEventId(request.headers.get('last-event-id'));
    if (resumeFrom) {
      if (hello.conversationId === undefined) hello.conversationId = resumeFrom.conversationId;
      if (hello.conversationId === resumeFrom.conversationId && resumeFrom.seq > Number(hello.afterSeq ?? 0)) hello.afterSeq = resumeFrom.seq;
    }

    const id = randomId();
    let ended = false;
    let end = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const push = (text: string) => {
          if (ended) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            end();
          }
        };
        const write = (frame: ServerFrame) => {
          const sseId = frame.kind === 'event' ? `id: ${frame.conversationId}:${frame.seq}\n` : '';
          push(`${sseId}data: ${JSON.stringify(boundedFrame(frame))}\n\n`);
        };
        push(`retry: 2000\nevent: connection\ndata: ${id}\n\n`);
        const connection = backend.connectBuyer(write);
        const heartbeat = heartbeatMs > 0 ? setInterval(() => push('event: ping\ndata: \n\n'), heartbeatMs) : undefined;
        (heartbeat as { unref?: () => void } | undefined)?.unref?.();
        end = () => {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          streams.delete(id);
          request.signal.removeEventListener('abort', end);
          connection.close();
          try {
            controller.close();
          } catch {
            // already closed or errored by the reader
          }
        };
        streams.set(id, { connection, write, end });
        if (request.signal.aborted) {
          end();
          return;
        }
        request.signal.addEventListener('abort', end, { once: true });
        // The backend answers the hello synchronously: its `ready` is queued behind `connection`.
        receiveSafely(connection, hello, write);
      },
      cancel() {
        end();
      },
    });
    return new HttpResponse(body, {
      status: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
  });

  const frames = http.post(endpoint(baseUrl, '/frames'), async ({ request }) => {
    const stream = streams.get(new URL(request.url).searchParams.get('connection') ?? '');
    if (!stream) {
      return new HttpResponse('no such connection', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    const declared = Number(request.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_FRAME_BYTES) return new HttpResponse(null, { status: 413 });
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > MAX_FRAME_BYTES) return new HttpResponse(null, { status: 413 });
    // The stream may have closed while the body was read.
    if (!streams.has(new URL(request.url).searchParams.get('connection') ?? '')) {
      return new HttpResponse('no such connection', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    receiveSafely(stream.connection, new TextDecoder().decode(bytes), stream.write);
    return new HttpResponse(null, { status: 202 });
  });

  const handlers = [events, frames];
  return Object.defineProperties(handlers, {
    backend: { value: backend, enumerable: false },
    openStreams: { get: () => streams.size, enumerable: false },
    close: {
      value: () => {
        for (const s of [...streams.values()]) s.end();
      },
      enumerable: false,
    },
  }) as XiaoerHandlers;
}
