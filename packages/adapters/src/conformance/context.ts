import { PROTOCOL_VERSION, createClientId, type BuyerIdentity } from '@xiaoer/core';
import type { WebSocketConstructor } from '../websocket/websocket-transport.js';
import type { EventSourceConstructor } from '../http/sse-transport.js';
import { CheckFailure, fail } from './failure.js';
import { openHttpLink, openWebSocketLink, type RawLink, type Received, type WireFrame } from './links.js';
import type { IdentitySource } from './types.js';

/** Where and how to reach the backend, resolved once per run. */
export interface Endpoint {
  readonly url: string;
  readonly transport: 'websocket' | 'http';
  readonly WebSocket?: WebSocketConstructor;
  readonly EventSource?: EventSourceConstructor;
  readonly fetch?: typeof fetch;
  readonly identity?: IdentitySource;
}

export interface SessionStartOptions {
  readonly visitorId: string;
  readonly conversationId?: string;
  readonly afterSeq?: number;
  readonly buyer?: BuyerIdentity;
}

/** A `session.start` frame, as the SDK sends it. */
export function sessionStart(o: SessionStartOptions) {
  return {
    v: PROTOCOL_VERSION,
    kind: 'session.start',
    visitor: { visitorId: o.visitorId, ...(o.buyer ? { buyer: o.buyer } : {}) },
    afterSeq: o.afterSeq ?? 0,
    locale: 'en',
    ...(o.conversationId ? { conversationId: o.conversationId } : {}),
  } as const;
}

export const isEvent = (f: WireFrame): boolean => f.kind === 'event' && typeof f.seq === 'number';
export const errorCode = (f: WireFrame): unknown => f.error?.code;

/** What the checks of one run share. */
export interface RunState {
  readonly received: { readonly checkId: string; readonly received: Received }[];
  realOrder?: Promise<string | undefined>;
}

/** An open session: its link, the `session.ready` frame and the index after it. */
export interface Session {
  readonly link: RawLink;
  readonly ready: WireFrame;
  readonly conversationId: string;
  readonly lastSeq: number;
  /** Index in `link.frames` just after `session.ready`. */
  readonly afterReady: number;
}

/**
 * What a check works with. Every link it opens is closed when the check ends, and every wait is
 * bounded by the check's time budget.
 */
export class CheckContext {
  private readonly links = new Set<RawLink>();
  private counter = 0;

  constructor(
    readonly endpoint: Endpoint,
    readonly signal: AbortSignal,
    private readonly timeoutMs: number,
    private readonly run: RunState,
    private readonly checkId: string,
  ) {}

  /** A fresh random visitor id: each check is a stranger to the backend. */
  visitorId(): string {
    return createClientId('conformance');
  }

  /** A fresh command / query / ping id. */
  id(prefix = 'c'): string {
    return `${createClientId(prefix)}_${++this.counter}`;
  }

  /** A valid identity, fresh from the source; undefined when none was given. */
  async identity(): Promise<BuyerIdentity | undefined> {
    const source = this.endpoint.identity;
    if (!source) return undefined;
    return typeof source === 'function' ? await source() : source;
  }

  /** Every frame received so far in this run, by the check that received it. */
  received(): readonly { readonly checkId: string; readonly received: Received }[] {
    return this.run.received;
  }

  /**
   * The id of a real order of the valid buyer (asked once per run), when an identity was given:
   * the forged-identity checks ask for it, which is what an attacker would do.
   */
  realOrderId(): Promise<string | undefined> {
    this.run.realOrder ??= (async () => {
      const buyer = await this.identity();
      if (!buyer) return undefined;
      const s = await this.session({ visitorId: this.visitorId(), buyer });
      const answer = await this.ask(s.link, { type: 'orders.list', limit: 1 });
      s.link.close();
      const orders = (answer.frame.result as { orders?: { id?: unknown }[] } | undefined)?.orders;
      const id = Array.isArray(orders) ? orders[0]?.id : undefined;
      return typeof id === 'string' ? id : undefined;
    })().catch(() => undefined);
    return this.run.realOrder;
  }

  /**
   * Opens a link. Over HTTP the stream opens with `hello` (it is the `hello` query parameter); over a
   * WebSocket `hello` is sent once the socket is open, and with `hello: null` nothing is sent.
   */
  async open(hello: object | null, extra: { lastEventId?: string; useFetch?: boolean } = {}): Promise<RawLink> {
    const hooks = {
      signal: this.signal,
      timedOut: (what: string) => `timed out after ${this.timeoutMs} ms waiting for ${what}`,
      collect: (received: Received) => this.run.received.push({ checkId: this.checkId, received }),
    };
    let link: RawLink;
    if (this.endpoint.transport === 'websocket') {
      const Impl = this.endpoint.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
      if (!Impl) throw new CheckFailure('no WebSocket implementation: pass `WebSocket` (the `ws` package in Node 20)');
      link = await openWebSocketLink(this.endpoint.url, Impl, hooks);
      this.links.add(link);
      if (hello) link.send(hello);
    } else {
      if (!hello) throw new Error('an HTTP stream always opens with a hello');
      const doFetch = this.endpoint.fetch ?? globalThis.fetch?.bind(globalThis);
      if (!doFetch) throw new CheckFailure('no fetch implementation available');
      const Source = extra.useFetch ? undefined : (this.endpoint.EventSource ?? (globalThis.EventSource as unknown as EventSourceConstructor | undefined));
      link = await openHttpLink(
        { base: this.endpoint.url, hello, fetch: doFetch, ...(Source ? { EventSource: Source } : {}), ...(extra.lastEventId === undefined ? {} : { lastEventId: extra.lastEventId }) },
        hooks,
      );
      this.links.add(link);
    }
    return link;
  }

  /** Opens a link with `session.start` and waits for `session.ready`, checking its basic shape. */
  async session(o: SessionStartOptions): Promise<Session> {
    const link = await this.open(sessionStart(o));
    const r = await link.waitFor((f) => f.kind === 'session.ready' || (f.kind === 'error' && errorCode(f) !== 'unauthorized'), 'session.ready');
    if (r.frame.kind !== 'session.ready') fail('session.ready', `an error instead: ${String(r.frame.error?.code)}: ${String(r.frame.error?.message)}`);
    const { conversationId, lastSeq } = r.frame;
    if (typeof conversationId !== 'string' || conversationId === '') fail('session.ready with a conversationId', r.text);
    if (typeof lastSeq !== 'number' || !Number.isInteger(lastSeq) || lastSeq < 0) fail('session.ready with an integer lastSeq ≥ 0', r.text);
    return { link, ready: r.frame, conversationId, lastSeq, afterReady: link.frames.indexOf(r) + 1 };
  }

  /**
   * A ping round trip: once its pong is back, the server has answered everything sent before it
   * (a server handles one link's frames in order), so what has arrived is all there is to see.
   */
  async barrier(link: RawLink, what = 'the pong that ends the exchange'): Promise<void> {
    const id = this.id('p');
    const from = link.frames.length;
    link.send({ v: PROTOCOL_VERSION, kind: 'ping', id });
    await link.waitFor((f) => f.kind === 'pong' && f.id === id, `${what} (pong ${id})`, from);
  }

  /** Sends a text message command and returns its id (does not wait). */
  sendText(link: RawLink, text: string, id = this.id('c')): string {
    link.send({ v: PROTOCOL_VERSION, kind: 'command', id, command: { type: 'message.send', body: { kind: 'text', text } } });
    return id;
  }

  /** Waits for the `ack` of a command; a `nack` fails the check. */
  async acked(link: RawLink, id: string, from = 0, what = `the ack of command ${id}`): Promise<Received> {
    const r = await link.waitFor((f) => (f.kind === 'ack' || f.kind === 'nack') && f.id === id, what, from);
    if (r.frame.kind === 'nack') fail(`an ack for command ${id}`, `nack ${String(r.frame.error?.code)}: ${String(r.frame.error?.message)}`);
    return r;
  }

  /** Sends a query and waits for its `result` or `nack`. */
  async ask(link: RawLink, query: object): Promise<Received> {
    const id = this.id('q');
    const from = link.frames.length;
    link.send({ v: PROTOCOL_VERSION, kind: 'query', id, query });
    return link.waitFor((f) => (f.kind === 'result' || f.kind === 'nack') && f.id === id, `the answer to query ${JSON.stringify(query)}`, from);
  }

  /** Closes every link this check opened. */
  dispose(): void {
    for (const link of this.links) link.close();
    this.links.clear();
  }
}

/** The conversation events a link received from index `from` on, for one conversation. */
export function eventsOf(link: RawLink, conversationId: string, from = 0): Received[] {
  return link.frames.slice(from).filter((r) => isEvent(r.frame) && r.frame.conversationId === conversationId);
}

/** "1, 2, 3 … 9" for a list of sequence numbers. */
export function seqList(seqs: readonly number[]): string {
  if (seqs.length === 0) return 'none';
  if (seqs.length <= 12) return seqs.join(', ');
  return `${seqs.slice(0, 5).join(', ')} … ${seqs.slice(-5).join(', ')} (${seqs.length} events)`;
}
