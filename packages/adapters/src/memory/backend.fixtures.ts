import { validateServerFrame, type AfterSalesCase, type AfterSalesRequest, type Command, type ConversationEvent, type Message, type Order, type Query, type RoutingState, type ServerFrame } from '@xiaoer/core';
import { SupportBackend, type BackendOptions, type VerifiedBuyer } from './backend.js';
import type { DeskClientFrame, DeskServerFrame } from './desk-protocol.js';

/**
 * Test helpers for the demo backend (not part of the public API): a fake clock, a raw protocol
 * buyer and an agent desk. The backend answers synchronously, so every call returns its answer.
 */

export const T0 = Date.UTC(2025, 5, 1, 2, 0, 0);

export function fakeClock(start = T0) {
  let t = start;
  return {
    now: () => t,
    set: (at: number) => void (t = at),
    advance: (ms: number) => void (t += ms),
  };
}

export function makeBackend(options: BackendOptions = {}) {
  const clock = fakeClock();
  const backend = new SupportBackend({ now: clock.now, idPrefix: 't', ...options });
  return { backend, clock };
}

type EventFrame = Extract<ServerFrame, { kind: 'event' }>;
type Answer = Extract<ServerFrame, { kind: 'ack' | 'nack' | 'result' }>;

/** A 1×1 PNG. */
export const PNG_BYTES = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);
export const PNG_BASE64 = btoa(String.fromCharCode(...PNG_BYTES));

export interface BuyerOptions {
  visitorId?: string;
  /** Trusted by the connection (like the memory transport's `buyer` option). */
  buyer?: VerifiedBuyer;
  /** A signed identity in `session.start`, checked by the backend's verifier. */
  identity?: { id: string; expires: number; signature: string; name?: string };
  conversationId?: string;
  afterSeq?: number;
  locale?: string;
}

let counter = 0;

/** A buyer speaking the raw protocol to the backend. */
export function connectBuyer(backend: SupportBackend, options: BuyerOptions = {}) {
  const frames: ServerFrame[] = [];
  const conn = backend.connectBuyer((f) => frames.push(f), options.buyer ? { buyer: options.buyer } : {});
  conn.receive({
    v: 1,
    kind: 'session.start',
    visitor: { visitorId: options.visitorId ?? 'v_1', ...(options.identity ? { buyer: options.identity } : {}) },
    afterSeq: options.afterSeq ?? 0,
    locale: options.locale ?? 'en',
    ...(options.conversationId ? { conversationId: options.conversationId } : {}),
  });
  const ready = frames.find((f) => f.kind === 'session.ready') as Extract<ServerFrame, { kind: 'session.ready' }>;
  const answer = (id: string) => [...frames].reverse().find((f): f is Answer => (f.kind === 'ack' || f.kind === 'nack' || f.kind === 'result') && f.id === id);
  const events = () => frames.filter((f): f is EventFrame => f.kind === 'event');
  const messages = () => events().flatMap((f) => (f.event.type === 'message.created' ? [f.event.message] : []));
  const command = (command: Command, id = `c_${++counter}`) => {
    conn.receive({ v: 1, kind: 'command', id, command });
    return answer(id)!;
  };
  const query = (query: Query, id = `q_${++counter}`) => {
    conn.receive({ v: 1, kind: 'query', id, query });
    return answer(id)!;
  };
  return {
    conn,
    frames,
    ready,
    command,
    query,
    say: (text: string, id?: string) => command({ type: 'message.send', body: { kind: 'text', text } }, id),
    upload: (photoId: string, data = PNG_BASE64, mime: 'image/png' | 'image/jpeg' | 'image/webp' = 'image/png', id = photoId) =>
      command({ type: 'photo.upload', photoId, mime, data }, id),
    events,
    messages,
    texts: () => messages().flatMap((m) => ('text' in m.body ? [m.body.text] : [])),
    notices: () => messages().filter((m) => m.body.kind === 'notice') as (Message & { body: { kind: 'notice'; text: string; ref?: { type: string; id: string } } })[],
    routing: (): RoutingState | undefined => events().flatMap((f) => (f.event.type === 'routing.changed' ? [f.event.routing] : [])).at(-1),
    lastOf: <T extends ConversationEvent['type']>(type: T) =>
      events().map((f) => f.event).filter((e): e is Extract<ConversationEvent, { type: T }> => e.type === type).at(-1),
    errors: () => frames.filter((f): f is Extract<ServerFrame, { kind: 'error' }> => f.kind === 'error'),
  };
}

/** The logged-in demo buyer, trusted by the connection. */
export const demoBuyer = (backend: SupportBackend, options: BuyerOptions = {}) =>
  connectBuyer(backend, { visitorId: 'v_demo', buyer: { id: 'buyer-demo', name: '王小明 Wang Xiaoming' }, ...options });
export const otherBuyer = (backend: SupportBackend, options: BuyerOptions = {}) =>
  connectBuyer(backend, { visitorId: 'v_other', buyer: { id: 'buyer-other', name: '李雷 Li Lei' }, ...options });

/** An agent desk. */
export function connectDesk(backend: SupportBackend, agentIndex = 0) {
  const frames: DeskServerFrame[] = [];
  const agent = backend.listAgents()[agentIndex]!;
  const conn = backend.connectAgent(agent, (f) => frames.push(f));
  const last = <K extends DeskServerFrame['kind']>(kind: K) => [...frames].reverse().find((f): f is Extract<DeskServerFrame, { kind: K }> => f.kind === kind);
  return {
    conn,
    frames,
    agent,
    send: (frame: DeskClientFrame) => conn.receive(frame),
    last,
    queue: () => {
      const q = [...frames].reverse().find((f) => f.kind === 'desk.queue' || f.kind === 'desk.ready');
      return q && 'queue' in q ? q.queue : [];
    },
    inbox: () => {
      const f = [...frames].reverse().find((x) => x.kind === 'desk.inbox' || x.kind === 'desk.ready');
      return f && 'inbox' in f ? f.inbox : undefined;
    },
  };
}

/** A return-and-refund of one cup set from the demo order delivered two days ago (no-reason window open). */
export function noReasonReturn(overrides: Partial<AfterSalesRequest> = {}): AfterSalesRequest {
  return {
    type: 'return-and-refund',
    lines: [{ lineId: 'L1', quantity: 1 }],
    reason: 'no-longer-needed',
    amount: { amount: 12800, currency: 'CNY' },
    description: '买多了 · bought one too many',
    photos: [],
    ...overrides,
  };
}

/**
 * Checks a value against core's schema the way a client would receive it (inside an event frame):
 * returns the validation error message, or null when valid.
 */
export function schemaProblem(value: { order: Order } | { case: AfterSalesCase } | { message: Message }): string | null {
  const event = 'order' in value ? { type: 'order.updated', ...value } : 'case' in value ? { type: 'case.updated', ...value } : { type: 'message.created', ...value };
  const decoded = validateServerFrame({ v: 1, kind: 'event', conversationId: 'c', seq: 1, event });
  return decoded.ok ? null : decoded.error.message;
}

export type BuyerHandle = ReturnType<typeof connectBuyer>;
