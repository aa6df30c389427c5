import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type CommandType,
  type ConversationEvent,
  type QueryType,
  type ServerFrame,
  type WireError,
} from '@xiaoer/core';
import { SupportBackend, type BackendRecord, type BuyerConnection, type VerifiedBuyer } from '../memory/index.js';

/**
 * The state of the emulated network link:
 * - `up`: requests reach the backend;
 * - `down`: every request fails with a network error, and open streams break (the browser's
 *   EventSource keeps reconnecting: the widget shows "reconnecting");
 * - `refused`: the event stream answers 503 (the EventSource gives up; the transport backs off and
 *   dials again), frames are refused with 503;
 * - `stalled`: requests are never answered (the first load that never finishes: loading states).
 */
export type LinkState = 'up' | 'down' | 'refused' | 'stalled';

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
  /**
   * The logged-in buyer, trusted as is (as the shop's own page would vouch for its session), so
   * orders and cases can be shown without signing an identity. Without it the visitor is
   * anonymous unless the client sends an identity the backend can verify.
   */
  buyer?: VerifiedBuyer;
  /**
   * The conversation the buyer already has: these events (seq 1…n), replayed to the client when
   * its session starts — a long history, a chat already queued or with an agent. Needs `buyer`.
   */
  history?: readonly ConversationEvent[];
  /**
   * Server refusals: a command or query of one of these types is answered with a `nack` carrying
   * this error instead of reaching the backend (the error states of the catalog).
   */
  refuse?: Partial<Record<CommandType | QueryType, WireError>>;
  /**
   * Requests of these types are accepted (202) and never answered: the loading states, with the
   * session otherwise working.
   */
  hold?: readonly (CommandType | QueryType)[];
  /** The link's state at first; `up` by default. Change it later with `setLink`. */
  link?: LinkState;
}

export type XiaoerHandlers = HttpHandler[] & {
  /** The backend behind the handlers: act as the agent with `backend.connectAgent(…)`. */
  readonly backend: SupportBackend;
  /** Streams open now. */
  readonly openStreams: number;
  /** Ends every open stream and closes its backend connection. */
  close(): void;
  /** The emulated link's state now. */
  readonly link: LinkState;
  /** Takes the link down (open streams break), refuses it, or brings it back up. */
  setLink(state: LinkState): void;
};

/** A conversation for `buyer` holding `events`, as the records the backend restores from. */
function historyRecords(buyer: VerifiedBuyer, events: readonly ConversationEvent[], now: number): BackendRecord[] {
  const id = `conv-${buyer.id}`;
  return [
    { t: 'conversation', id, visitorId: `visitor-${buyer.id}`, createdAt: now, locale: 'zh-CN', buyerId: buyer.id, ...(buyer.name ? { buyerName: buyer.name } : {}) },
    ...events.map((event, i): BackendRecord => ({ t: 'event', conversationId: id, seq: i + 1, event: withConversation(event, id) })),
  ];
}

function withConversation(event: ConversationEvent, conversationId: string): ConversationEvent {
  return event.type === 'message.created' ? { ...event, message: { ...event.message, conversationId } } : event;
}

/** The command or query type a POSTed frame carries, if any (without validating the rest). */
function requestOf(text: string): { id: string; type: string } | null {
  try {
    const frame = JSON.parse(text) as { kind?: unknown; id?: unknown; command?: { type?: unknown }; query?: { type?: unknown } };
    const type = frame.kind === 'command' ? frame.command?.type : frame.kind === 'query' ? frame.query?.type : undefined;
    return typeof frame.id === 'string' && typeof type === 'string' ? { id: frame.id, type } : null;
  } catch {
    return null;
  }
}

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
  const refusals = new Map(Object.entries(options.refuse ?? {}));
  const held = new Set<string>(options.hold ?? []);
  const streams = new Map<string, { connection: BuyerConnection; write: (frame: ServerFrame) => void; end: () => void; fail: () => void }>();
  const encoder = new TextEncoder();
  let link: LinkState = options.link ?? 'up';
  if (options.history?.length) {
    if (!options.buyer) throw new TypeError('createXiaoerHandlers: `history` needs a `buyer`');
    backend.restore(historyRecords(options.buyer, options.history, Date.now()));
  }
  const linkFailure = async () => {
    if (link === 'stalled') await delay('infinite');
    return link === 'down' ? HttpResponse.error() : new HttpResponse('service unavailable', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };

  const events = http.get(endpoint(baseUrl, '/events'), ({ request }) => {
    if (link !== 'up') return linkFailure();
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
        // What is written in one turn (a replay of a long history: hundreds of events) goes out
        // as one chunk: in the browser each chunk crosses from the page to msw's service worker
        // as a message of its own, and a burst of hundreds of tiny ones can take the page down.
        let pending = '';
        const flush = () => {
          const text = pending;
          pending = '';
          if (ended || !text) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            end();
          }
        };
        const push = (text: string) => {
          if (ended) return;
          if (!pending) queueMicrotask(flush);
          pending += text;
        };
        const write = (frame: ServerFrame) => {
          const sseId = frame.kind === 'event' ? `id: ${frame.conversationId}:${frame.seq}\n` : '';
          push(`${sseId}data: ${JSON.stringify(boundedFrame(frame))}\n\n`);
        };
        push(`retry: 2000\nevent: connection\ndata: ${id}\n\n`);
        const connection = backend.connectBuyer(write, options.buyer ? { buyer: options.buyer } : {});
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
        // The link broke: the stream ends with an error, as a dropped TCP connection does.
        const fail = () => {
          if (ended) return;
          try {
            controller.error(new TypeError('network error'));
          } catch {
            // already closed
          }
          end();
        };
        streams.set(id, { connection, write, end, fail });
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
    if (link !== 'up') return linkFailure();
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
    const text = new TextDecoder().decode(bytes);
    const asked = refusals.size > 0 || held.size > 0 ? requestOf(text) : null;
    const refusal = asked ? refusals.get(asked.type) : undefined;
    if (asked && refusal) stream.write({ v: PROTOCOL_VERSION, kind: 'nack', id: asked.id, error: refusal });
    else if (!asked || !held.has(asked.type)) receiveSafely(stream.connection, text, stream.write);
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
    link: { get: () => link, enumerable: false },
    setLink: {
      value: (state: LinkState) => {
        link = state;
        if (state !== 'up') for (const s of [...streams.values()]) s.fail();
      },
      enumerable: false,
    },
  }) as XiaoerHandlers;
}
