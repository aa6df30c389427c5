import type { WebSocketConstructor, WebSocketLike } from '../websocket/websocket-transport.js';
import type { EventSourceConstructor, EventSourceLike } from '../http/sse-transport.js';
import { CheckFailure, clip } from './failure.js';

/**
 * A server frame as it was read, before any trust: every field optional and of unknown type, so a
 * check reads what a malformed frame carries without assuming the schema. Validation against core's
 * schema is the `frames` check's job.
 */
export interface WireFrame {
  readonly v?: unknown;
  readonly kind?: unknown;
  readonly id?: unknown;
  readonly conversationId?: unknown;
  readonly visitorId?: unknown;
  readonly seq?: unknown;
  readonly lastSeq?: unknown;
  readonly routing?: { readonly phase?: unknown } | null;
  readonly buyer?: { readonly id?: unknown } | null;
  readonly result?: unknown;
  readonly error?: { readonly code?: unknown; readonly message?: unknown } | null;
  readonly event?: {
    readonly type?: unknown;
    readonly message?: {
      readonly id?: unknown;
      readonly clientId?: unknown;
      readonly author?: { readonly role?: unknown } | null;
      readonly body?: { readonly kind?: unknown; readonly text?: unknown } | null;
    } | null;
  } | null;
}

/** One frame the server sent, as received. */
export interface Received {
  /** The raw text (binary WebSocket messages are recorded as `<binary>`). */
  readonly text: string;
  /** The parsed JSON, or undefined when it was not JSON. */
  readonly value: unknown;
  /** A loose view of `value` (empty when it is not an object). */
  readonly frame: WireFrame;
  /** The SSE event id the frame came with (HTTP endpoints). */
  readonly sseId?: string;
}

/**
 * One connection to the backend, with no protocol logic: frames go out as given (objects are
 * JSON-encoded, strings sent as they are, so a check can send garbage) and everything that comes
 * back is kept in order. The same interface over a WebSocket and over HTTP + SSE.
 */
export interface RawLink {
  readonly frames: readonly Received[];
  /** Why the link ended from the server's side, once it did; null while it is open. */
  readonly endedBy: string | null;
  send(frame: object | string): void;
  /**
   * The first frame at index `from` or later that matches; rejects with a `CheckFailure` naming
   * `what` when the link ends or the check runs out of time first.
   */
  waitFor(match: (frame: WireFrame, received: Received) => boolean, what: string, from?: number): Promise<Received>;
  /** Ends the link from our side. */
  close(): void;
}

export interface LinkHooks {
  /** Aborted when the check runs out of time. */
  readonly signal: AbortSignal;
  /** Describes a wait cut short by the time budget. */
  readonly timedOut: (what: string) => string;
  /** Sees every frame received, for the run-wide validity check. */
  readonly collect: (received: Received) => void;
}

/** A short description of a received frame, for "got …" in failure details. */
export function describeFrame(r: Received): string {
  if (r.value === undefined) return `not JSON: "${clip(r.text, 60)}"`;
  const f = r.frame;
  switch (f.kind) {
    case 'event':
      return `event #${String(f.seq)} ${String(f.event?.type)}`;
    case 'ack':
    case 'pong':
    case 'result':
      return `${f.kind} ${String(f.id)}`;
    case 'nack':
      return `nack ${String(f.id)} (${String(f.error?.code)})`;
    case 'error':
      return `error (${String(f.error?.code)}: ${clip(String(f.error?.message), 80)})`;
    case 'session.ready':
      return `session.ready (${String(f.conversationId)}, lastSeq ${String(f.lastSeq)})`;
    default:
      return `${clip(JSON.stringify(f.kind) ?? 'no kind', 40)} frame`;
  }
}

function toReceived(text: string, sseId?: string): Received {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = undefined;
  }
  const frame = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as WireFrame) : {};
  return { text, value, frame, ...(sseId === undefined ? {} : { sseId }) };
}

interface Waiter {
  readonly match: (frame: WireFrame, received: Received) => boolean;
  readonly what: string;
  from: number;
  readonly resolve: (r: Received) => void;
  readonly reject: (e: Error) => void;
}

/** The bookkeeping both links share: received frames, waiters, and how the link ended. */
class LinkState {
  readonly frames: Received[] = [];
  endedBy: string | null = null;
  closedByUs = false;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly hooks: LinkHooks) {
    hooks.signal.addEventListener('abort', () => this.rejectAll((what) => hooks.timedOut(what)), { once: true });
  }

  deliver(text: string, sseId?: string): void {
    const received = toReceived(text, sseId);
    this.frames.push(received);
    this.hooks.collect(received);
    for (const w of [...this.waiters]) {
      if (w.match(received.frame, received)) {
        this.waiters.delete(w);
        w.resolve(received);
      }
    }
  }

  /** The server (or the network) ended the link. */
  end(reason: string): void {
    if (this.endedBy !== null || this.closedByUs) return;
    this.endedBy = reason;
    this.rejectAll((what) => `${what}: ${reason}`);
  }

  waitFor(match: Waiter['match'], what: string, from = 0): Promise<Received> {
    for (let i = from; i < this.frames.length; i++) {
      const r = this.frames[i]!;
      if (match(r.frame, r)) return Promise.resolve(r);
    }
    if (this.endedBy !== null) return Promise.reject(new CheckFailure(`${what}: ${this.endedBy}${this.got()}`));
    if (this.hooks.signal.aborted) return Promise.reject(new CheckFailure(this.hooks.timedOut(what) + this.got()));
    return new Promise((resolve, reject) => this.waiters.add({ match, what, from, resolve, reject }));
  }

  private got(): string {
    const tail = this.frames.slice(-6).map(describeFrame);
    if (tail.length === 0) return ' (nothing received)';
    return ` (last received: ${this.frames.length > 6 ? '…, ' : ''}${tail.join(', ')})`;
  }

  private rejectAll(message: (what: string) => string): void {
    const suffix = this.got();
    for (const w of this.waiters) w.reject(new CheckFailure(message(w.what) + suffix));
    this.waiters.clear();
  }
}

const OPEN = 1;

/** A link over one WebSocket. Resolves once the socket is open; sends nothing by itself. */
export function openWebSocketLink(url: string, Impl: WebSocketConstructor, hooks: LinkHooks): Promise<RawLink> {
  const state = new LinkState(hooks);
  return new Promise((resolve, reject) => {
    let socket: WebSocketLike;
    try {
      socket = new Impl(url);
    } catch (cause) {
      reject(new CheckFailure(`cannot open ${url}: ${cause instanceof Error ? cause.message : String(cause)}`));
      return;
    }
    let opened = false;
    const onAbort = () => {
      if (!opened) reject(new CheckFailure(hooks.timedOut(`the WebSocket to ${url} to open`)));
      link.close();
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    const link: RawLink = {
      frames: state.frames,
      get endedBy() {
        return state.endedBy;
      },
      send(frame) {
        if (state.endedBy !== null || state.closedByUs || socket.readyState !== OPEN) return;
        socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      },
      waitFor: (match, what, from) => state.waitFor(match, what, from),
      close() {
        if (state.closedByUs) return;
        state.closedByUs = true;
        hooks.signal.removeEventListener('abort', onAbort);
        socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
        try {
          socket.close(1000, 'conformance check done');
        } catch {
          /* not open yet, or already closed: nothing to release */
        }
      },
    };
    socket.onopen = () => {
      opened = true;
      resolve(link);
    };
    socket.onmessage = (event) => state.deliver(typeof event.data === 'string' ? event.data : '<binary>');
    socket.onerror = () => {
      /* a close event follows with the code */
    };
    socket.onclose = (event) => {
      const code = `code ${event.code}${event.reason ? `: ${event.reason}` : ''}`;
      if (!opened) reject(new CheckFailure(`cannot connect to ${url} (${code})`));
      state.end(`the server closed the connection (${code})`);
    };
  });
}

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The stream URL for a `hello`, exactly as `createHttpTransport` builds it. */
export function eventsUrl(base: string, hello: object): string {
  return `${base}/events?hello=${base64url(JSON.stringify(hello))}`;
}

export interface HttpLinkOptions {
  readonly base: string;
  readonly hello: object;
  readonly fetch: typeof fetch;
  /**
   * The EventSource to read the stream with. Without one (or with `lastEventId`, a header an
   * EventSource cannot be told to send on its first request) the stream is read with fetch.
   */
  readonly EventSource?: EventSourceConstructor;
  /** Sent as `Last-Event-ID`, as a browser does when it re-opens a dropped stream by itself. */
  readonly lastEventId?: string;
}

/**
 * A link over HTTP: the stream `GET {base}/events?hello=…` (its first `connection` event names the
 * connection), frames up by `POST {base}/frames?connection=…`, one after another in order.
 */
export function openHttpLink(options: HttpLinkOptions, hooks: LinkHooks): Promise<RawLink> {
  const state = new LinkState(hooks);
  const url = eventsUrl(options.base, options.hello);
  const streamAbort = new AbortController();
  let source: EventSourceLike | null = null;
  let connectionId: string | null = null;
  let posts: Promise<void> = Promise.resolve();

  const stop = () => {
    source?.close();
    source = null;
    streamAbort.abort();
  };
  const link: RawLink = {
    frames: state.frames,
    get endedBy() {
      return state.endedBy;
    },
    send(frame) {
      const id = connectionId;
      if (id === null || state.endedBy !== null || state.closedByUs) return;
      const body = typeof frame === 'string' ? frame : JSON.stringify(frame);
      posts = posts.then(async () => {
        if (state.endedBy !== null || state.closedByUs) return;
        try {
          const res = await options.fetch(`${options.base}/frames?connection=${encodeURIComponent(id)}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: hooks.signal,
          });
          // Drain the body so the socket is reused; its content is not part of the protocol.
          await res.text().catch(() => '');
          if (!res.ok) state.end(`POST /frames answered HTTP ${res.status}`);
        } catch (cause) {
          if (!hooks.signal.aborted) state.end(`POST /frames failed: ${cause instanceof Error ? cause.message : String(cause)}`);
        }
      });
    },
    waitFor: (match, what, from) => state.waitFor(match, what, from),
    close() {
      if (state.closedByUs) return;
      state.closedByUs = true;
      stop();
    },
  };
  hooks.signal.addEventListener('abort', () => link.close(), { once: true });

  return new Promise((resolve, reject) => {
    let opened = false;
    const named = (id: string) => {
      if (opened) return;
      opened = true;
      connectionId = id;
      resolve(link);
    };
    const refused = (reason: string) => {
      if (!opened) reject(new CheckFailure(`cannot open the event stream ${options.base}/events: ${reason}`));
      else state.end(reason);
      stop();
    };
    hooks.signal.addEventListener('abort', () => refused(hooks.timedOut('the event stream to open')), { once: true });

    if (options.EventSource && options.lastEventId === undefined) {
      const s = new options.EventSource(url);
      source = s;
      s.addEventListener('connection', (event) => named(event.data));
      s.addEventListener('message', (event) => {
        if (source === s) state.deliver(event.data, event.lastEventId || undefined);
      });
      // An EventSource re-opens a dropped stream by itself; a check wants to see the drop instead.
      s.onerror = (event) => {
        if (source !== s) return;
        // The `eventsource` package tells the HTTP status or network error; a browser's EventSource does not.
        const { code, message } = (event ?? {}) as { code?: unknown; message?: unknown };
        const why = typeof code === 'number' ? ` (HTTP ${code})` : typeof message === 'string' && message ? ` (${message})` : '';
        refused(`${opened ? 'the event stream ended' : 'the event stream was refused or failed'}${why}`);
      };
      return;
    }

    void (async () => {
      let res: Response;
      try {
        res = await options.fetch(url, {
          headers: { accept: 'text/event-stream', ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }) },
          signal: streamAbort.signal,
        });
      } catch (cause) {
        refused(cause instanceof Error ? cause.message : String(cause));
        return;
      }
      if (!res.ok || !res.body) {
        refused(`HTTP ${res.status}`);
        return;
      }
      // An EventSource refuses any other type; so does this reader.
      const type = res.headers.get('content-type') ?? '';
      if (!/^text\/event-stream\b/i.test(type)) {
        refused(`the stream came as ${JSON.stringify(type)}, not text/event-stream`);
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { type: '', data: [] as string[], id: undefined as string | undefined };
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const lines = buffer.split(/\r\n|\r|\n/);
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            if (line === '') {
              if (event.type === 'connection') named(event.data.join('\n'));
              else if ((event.type === '' || event.type === 'message') && event.data.length > 0) state.deliver(event.data.join('\n'), event.id);
              event = { type: '', data: [], id: undefined };
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.type = val;
            else if (field === 'data') event.data.push(val);
            else if (field === 'id') event.id = val;
          }
        }
        refused('the event stream ended');
      } catch (cause) {
        if (!state.closedByUs) refused(cause instanceof Error ? cause.message : String(cause));
      }
    })();
  });
}
