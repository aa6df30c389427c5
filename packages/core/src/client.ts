import { createClientEmitter, type ClientEvents } from './events.js';
import { XiaoerError, errorFromWire, RefusedError } from './errors.js';
import { createClientId } from './ids.js';
import { textBody } from './domain/message.js';
import { LIMITS } from './domain/limits.js';
import type { Command, ServerFrame, SessionStartFrame } from './protocol/frames.js';
import { validateServerFrame } from './protocol/codec.js';
import { PROTOCOL_VERSION } from './protocol/version.js';
import { createStore, type Store } from './store/store.js';
import { reducer } from './store/reducer.js';
import type { Action } from './store/actions.js';
import { INITIAL_STATE, type ClientState, type ConversationCache, type OutboxEntry } from './store/state.js';
import { createMemoryStorage, type Storage } from './storage/storage.js';
import { createLatestWriter } from './storage/writer.js';
import type { Transport, TransportEvent } from './transport.js';

export interface ClientOptions {
  transport: Transport;
  /** Where the visitor id, outbox and history cache live. Memory by default; pass `createIdbStorage()` in browsers. */
  storage?: Storage;
  /** Separates the data of several shops on one origin. */
  namespace?: string;
  locale?: string;
  /** Resend a command if no acknowledgement arrives this long after sending it. */
  ackTimeoutMs?: number;
  /** Give up on a command (and offer a manual resend) once it has been unsent this long. */
  maxPendingMs?: number;
  /** The clock; injected in tests. */
  now?: () => number;
}

/**
 * The Xiaoer client: owns the conversation state, the persisted outbox and the link to the
 * backend through a transport. Framework-agnostic; the widget renders from `getSnapshot()`.
 *
 * @example
 * const client = createClient({ transport: createWebSocketTransport({ url }), storage: createIdbStorage() })
 * client.subscribe((state) => render(selectTimeline(state)))
 * await client.start()
 * await client.sendText('Where is my parcel?')
 */
export interface XiaoerClient {
  getSnapshot(): ClientState;
  subscribe: Store<ClientState, Action>['subscribe'];
  select: Store<ClientState, Action>['select'];
  on<E extends keyof ClientEvents>(event: E, callback: ClientEvents[E]): () => void;
  /** Reads local history and the outbox, then connects. Safe to call more than once. */
  start(): Promise<void>;
  /** Closes the link; state and outbox are kept. `start()` again to reconnect. */
  stop(): void;
  /** Queues a text message (persisted before it is sent). Rejects with RefusedError when empty or too long. */
  sendText(text: string): Promise<{ id: string }>;
  /** Asks for a human agent. */
  requestHandoff(): Promise<{ id: string }>;
  /** Leaves the agent queue. */
  cancelHandoff(): Promise<{ id: string }>;
  /** Resends a failed command under its original id, so the server can never apply it twice. */
  retry(id: string): void;
  /** Tells the other side whether the buyer is typing (throttled; dropped while offline). */
  setTyping(on: boolean): void;
  /** Resolves once everything queued so far is in storage. */
  persisted(): Promise<void>;
}

const KEYS = (ns: string) => ({ visitor: `${ns}:visitor`, outbox: `${ns}:outbox`, conversation: `${ns}:conversation` });
const TYPING_RESEND_MS = 3_000;
const TYPING_EXPIRY_MS = 6_000;
/** Delay before re-sending a command that was refused with a retryable error. */
const retryDelay = (attempts: number) => Math.min(30_000, 500 * 2 ** Math.min(attempts, 6)) * (0.5 + Math.random() / 2);

export function createClient(options: ClientOptions): XiaoerClient {
  const transport = options.transport;
  const storage = options.storage ?? createMemoryStorage();
  const keys = KEYS(options.namespace ?? 'xiaoer');
  const now = options.now ?? Date.now;
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const maxPendingMs = options.maxPendingMs ?? 10 * 60_000;

  const store = createStore<ClientState, Action>(reducer, INITIAL_STATE);
  const emitter = createClientEmitter();
  const reportError = (error: unknown) => {
    const e = XiaoerError.isInstance(error) ? error : new XiaoerError('internal', String(error), { cause: error });
    emitter.emit('error', e);
  };
  const outboxWriter = createLatestWriter<readonly OutboxEntry[]>(storage, keys.outbox, reportError);
  const cacheWriter = createLatestWriter<ConversationCache>(storage, keys.conversation, reportError);

  let starting: Promise<void> | null = null;
  let link: AbortController | null = null;
  let unsubscribeTransport: (() => void) | null = null;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let typingSentAt = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const setTimer = (key: string, ms: number, run: () => void) => {
    clearTimer(key);
    timers.set(key, setTimeout(() => { timers.delete(key); run(); }, ms));
  };
  const clearTimer = (key: string) => {
    const t = timers.get(key);
    if (t !== undefined) clearTimeout(t);
    timers.delete(key);
  };

  // ---- persistence: the store is the source of truth; storage follows it.
  store.select((s) => s.outbox, (outbox) => void outboxWriter.write(outbox));
  store.select(
    (s) => s.lastSeq,
    () => {
      const s = store.getSnapshot();
      if (!s.conversationId) return;
      void cacheWriter.write({
        conversationId: s.conversationId,
        lastSeq: s.lastSeq,
        routing: s.routing,
        messages: s.messages.slice(-LIMITS.cachedMessages),
      });
    },
  );
  store.select((s) => s.connection, (c) => emitter.emit('connection:changed', c));
  store.select((s) => s.routing, (r, prev) => emitter.emit('routing:changed', r, prev));

  // ---- the outbox pump: one command on the wire at a time, in order.
  const pump = () => {
    const state = store.getSnapshot();
    if (state.connection.status !== 'online') return;
    if (state.outbox.some((e) => e.state === 'sending')) return;
    const next = state.outbox.find((e) => e.state === 'queued' && !timers.has(`retry:${e.id}`));
    if (!next) return;
    const sent = transport.send({ v: PROTOCOL_VERSION, kind: 'command', id: next.id, command: next.command });
    if (!sent) return; // the link dropped under us; the status event will bring us back here
    store.dispatch({ type: 'outbox.sending', id: next.id });
    setTimer(`ack:${next.id}`, ackTimeoutMs, () => {
      store.dispatch({ type: 'outbox.requeued', id: next.id });
      pump();
    });
  };

  const settle = (id: string) => {
    clearTimer(`ack:${id}`);
    clearTimer(`expire:${id}`);
    clearTimer(`retry:${id}`);
    store.dispatch({ type: 'outbox.settled', id });
  };

  const deadLetter = (id: string, error: { code: string; message: string }) => {
    clearTimer(`ack:${id}`);
    clearTimer(`expire:${id}`);
    clearTimer(`retry:${id}`);
    store.dispatch({ type: 'outbox.failed', id, error });
    const entry = store.getSnapshot().outbox.find((e) => e.id === id);
    if (entry) emitter.emit('outbox:dead-letter', entry);
  };

  const watchExpiry = (entry: OutboxEntry) => {
    if (entry.state === 'failed') return;
    const remaining = entry.createdAt + maxPendingMs - now();
    const expire = () => {
      const current = store.getSnapshot().outbox.find((e) => e.id === entry.id);
      if (current && current.state !== 'failed') deadLetter(entry.id, { code: 'timeout', message: 'not delivered in time' });
      pump();
    };
    if (remaining <= 0) expire();
    else setTimer(`expire:${entry.id}`, remaining, expire);
  };

  // ---- incoming frames
  const onFrame = (frame: ServerFrame) => {
    switch (frame.kind) {
      case 'session.ready':
        store.dispatch({ type: 'session.ready', conversationId: frame.conversationId, lastSeq: frame.lastSeq, routing: frame.routing });
        pump();
        return;
      case 'event': {
        const before = store.getSnapshot();
        store.dispatch({ type: 'event', frame });
        const after = store.getSnapshot();
        if (after === before) return; // a duplicate or another conversation's event
        if (frame.event.type === 'message.created') {
          const clientId = frame.event.message.clientId;
          if (clientId) settle(clientId);
          emitter.emit('message:received', frame.event.message);
        }
        pump();
        return;
      }
      case 'ack':
        if (store.getSnapshot().outbox.some((e) => e.id === frame.id)) emitter.emit('outbox:acknowledged', frame.id);
        settle(frame.id);
        pump();
        return;
      case 'nack': {
        const error = errorFromWire(frame.error);
        clearTimer(`ack:${frame.id}`);
        if (error.isRetryable) {
          store.dispatch({ type: 'outbox.requeued', id: frame.id });
          const entry = store.getSnapshot().outbox.find((e) => e.id === frame.id);
          setTimer(`retry:${frame.id}`, retryDelay(entry?.attempts ?? 1), pump);
        } else {
          deadLetter(frame.id, error.toJSON());
          reportError(error);
        }
        pump();
        return;
      }
      case 'signal':
        if (frame.conversationId !== store.getSnapshot().conversationId) return;
        store.dispatch({ type: 'typing', by: frame.signal.on ? frame.signal.by : null });
        if (frame.signal.on) setTimer('typing', TYPING_EXPIRY_MS, () => store.dispatch({ type: 'typing', by: null }));
        else clearTimer('typing');
        return;
      case 'error': {
        const error = errorFromWire(frame.error);
        store.dispatch({ type: 'error', error: error.toJSON() });
        reportError(error);
        return;
      }
      case 'pong':
        return;
    }
  };

  const onTransportEvent = (event: TransportEvent) => {
    switch (event.type) {
      case 'status':
        if (event.status === 'connecting') store.dispatch({ type: 'connection', connection: { status: 'connecting', attempt: event.attempt } });
        else if (event.status === 'closed') {
          for (const key of [...timers.keys()]) if (key.startsWith('ack:')) clearTimer(key);
          store.dispatch({ type: 'connection', connection: event.retryInMs === undefined ? { status: 'offline' } : { status: 'offline', retryInMs: event.retryInMs } });
        }
        // 'open' is not 'online' yet: the session is established by the server's session.ready.
        return;
      case 'frame': {
        const decoded = validateServerFrame(event.data);
        if (decoded.ok) onFrame(decoded.frame);
        else reportError(decoded.error);
        return;
      }
      case 'error':
        reportError(event.error);
        return;
    }
  };

  const hello = (): SessionStartFrame => {
    const s = store.getSnapshot();
    return {
      v: PROTOCOL_VERSION,
      kind: 'session.start',
      visitor: { visitorId: s.visitorId! },
      ...(s.conversationId ? { conversationId: s.conversationId } : {}),
      afterSeq: s.conversationId ? s.lastSeq : 0,
      ...(options.locale ? { locale: options.locale } : {}),
    };
  };

  const hydrate = async () => {
    if (store.getSnapshot().hydrated) return;
    let visitorId: string | undefined;
    let cache: ConversationCache | undefined;
    let outbox: OutboxEntry[] | undefined;
    try {
      [visitorId, cache, outbox] = await Promise.all([
        storage.get<string>(keys.visitor),
        storage.get<ConversationCache>(keys.conversation),
        storage.get<OutboxEntry[]>(keys.outbox),
      ]);
    } catch (error) {
      reportError(error);
    }
    if (!visitorId) {
      visitorId = createClientId('v');
      await storage.set(keys.visitor, visitorId).catch(reportError);
    }
    store.dispatch({ type: 'hydrated', visitorId, cache, outbox: Array.isArray(outbox) ? outbox : [] });
    for (const entry of store.getSnapshot().outbox) watchExpiry(entry);
  };

  const enqueue = async (command: Command): Promise<{ id: string }> => {
    if (!store.getSnapshot().hydrated) await (starting ?? hydrate());
    const entry: OutboxEntry = { id: createClientId(), command, createdAt: now(), attempts: 0, state: 'queued' };
    store.dispatch({ type: 'outbox.enqueued', entry });
    // Persist before it goes on the wire: a reload right after this never loses it.
    await outboxWriter.write(store.getSnapshot().outbox);
    watchExpiry(entry);
    pump();
    return { id: entry.id };
  };

  const client: XiaoerClient = {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    select: store.select.bind(store),
    on: (event, callback) => emitter.on(event, callback),

    start() {
      starting ??= (async () => {
        await hydrate();
        if (link) return;
        link = new AbortController();
        unsubscribeTransport = transport.subscribe(onTransportEvent);
        transport.connect({ hello, signal: link.signal });
      })().finally(() => { starting = null; });
      return starting;
    },

    stop() {
      link?.abort();
      link = null;
      unsubscribeTransport?.();
      unsubscribeTransport = null;
      for (const key of [...timers.keys()]) if (!key.startsWith('expire:')) clearTimer(key);
      clearTimeout(typingTimer);
      store.dispatch({ type: 'connection', connection: { status: 'idle' } });
    },

    async sendText(text) {
      const parsed = textBody(text);
      if (!parsed.ok) {
        throw new RefusedError(parsed.reason === 'empty' ? 'message is empty' : `message is longer than ${LIMITS.messageText} characters`);
      }
      client.setTyping(false);
      return enqueue({ type: 'message.send', body: parsed.body });
    },
    requestHandoff: () => enqueue({ type: 'handoff.request' }),
    cancelHandoff: () => enqueue({ type: 'handoff.cancel' }),

    retry(id) {
      const entry = store.getSnapshot().outbox.find((e) => e.id === id);
      if (!entry || entry.state !== 'failed') return;
      store.dispatch({ type: 'outbox.retry', id, now: now() });
      const retried = store.getSnapshot().outbox.find((e) => e.id === id);
      if (retried) watchExpiry(retried);
      pump();
    },

    setTyping(on) {
      if (!transport.capabilities.signals || store.getSnapshot().connection.status !== 'online') return;
      const t = now();
      clearTimeout(typingTimer);
      if (on) {
        // Stop showing "typing" on the other side if the buyer walks away mid-sentence.
        typingTimer = setTimeout(() => client.setTyping(false), TYPING_EXPIRY_MS - 500);
        if (t - typingSentAt < TYPING_RESEND_MS) return;
        typingSentAt = t;
        transport.send({ v: PROTOCOL_VERSION, kind: 'signal', signal: { type: 'typing', on: true } });
      } else if (typingSentAt !== 0) {
        typingSentAt = 0;
        transport.send({ v: PROTOCOL_VERSION, kind: 'signal', signal: { type: 'typing', on: false } });
      }
    },

    async persisted() {
      await outboxWriter.flushed();
      await cacheWriter.flushed();
    },
  };
  return client;
}
