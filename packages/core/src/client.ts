import { createClientEmitter, type ClientEvents } from './events.js';
import * as v from 'valibot';
import { XiaoerError, errorFromWire, RefusedError, OfflineError, ProtocolError, type FieldProblem } from './errors.js';
import { createClientId } from './ids.js';
import { textBody } from './domain/message.js';
import { LIMITS } from './domain/limits.js';
import { canCancel, canChangeAddress, validateAddress, type Address } from './domain/order.js';
import { validateAfterSalesRequest, type AfterSalesRequest } from './domain/after-sales/request.js';
import { can as caseCan } from './domain/after-sales/case.machine.js';
import { validateRating, validateComplaint, type RatingInput, type ComplaintInput } from './domain/satisfaction.js';
import type { BuyerCaseEvent, BuyerIdentity, Command, Query, ServerFrame, SessionStartFrame } from './protocol/frames.js';
import { MAX_PHOTO_BYTES } from './protocol/frames.js';
import { QueryResultSchemas, type QueryResults } from './protocol/results.js';
import { validateServerFrame } from './protocol/codec.js';
import { IDENTITY_EXPIRED, isIdentityExpired } from './protocol/identity.js';
import { formatTranscript } from './domain/transcript.js';
import { PROTOCOL_VERSION } from './protocol/version.js';
import { createStore, type Store } from './store/store.js';
import { reducer } from './store/reducer.js';
import type { Action } from './store/actions.js';
import { INITIAL_STATE, type ClientState, type ConversationCache, type OutboxEntry } from './store/state.js';
import { createMemoryStorage, type Storage } from './storage/storage.js';
import { createLatestWriter } from './storage/writer.js';
import { createOutboxHome, type OutboxLockManager } from './outbox/tab-outboxes.js';
import type { Transport, TransportEvent } from './transport.js';

export interface ClientOptions {
  transport: Transport;
  /** Where the visitor id, outbox and history cache live. Memory by default; pass `createIdbStorage()` in browsers. */
  storage?: Storage;
  /** Separates the data of several shops on one origin. */
  namespace?: string;
  /**
   * Web Locks, to keep the outbox of each tab under a key of its own and adopt those of closed
   * tabs (two tabs sharing one key overwrote each other's unsent commands), and to create the
   * visitor id once for all tabs loading at the same moment. `navigator.locks` by default; `null`,
   * or none available (Node), keeps one outbox per namespace.
   */
  locks?: OutboxLockManager | null;
  locale?: string;
  /** Resend a command if no acknowledgement arrives this long after sending it. */
  ackTimeoutMs?: number;
  /** Give up on a command (and offer a manual resend) once it has been unsent this long. */
  maxPendingMs?: number;
  /** The clock; injected in tests. */
  now?: () => number;
  /**
   * The logged-in buyer's signed identity, asked for on every (re)connection so an expiring
   * signature can be refreshed by the host page. Return undefined for an anonymous visitor.
   */
  identity?: () => BuyerIdentity | undefined;
  /**
   * Asks the host page for a fresh signed identity when the server says the current one is about
   * to expire (`identity.expiring`) or has expired (a refusal with reason `identity-expired`). The
   * client then renews the session on the open link (a new `session.start`) and the outbox carries
   * on: commands refused meanwhile are resent once, in order. Resolve undefined (or reject, or take
   * longer than 10 s) to go on as an anonymous visitor (`identity:dropped`); queued messages are
   * still sent. Without it, `identity()` is asked again.
   *
   * @example
   * refreshIdentity: async () => (await fetch('/account/xiaoer-identity')).json()
   */
  refreshIdentity?: () => Promise<BuyerIdentity | undefined>;
  /** How long a query waits for its answer. */
  queryTimeoutMs?: number;
}

/**
 * What a command method returns once the command is safely in the outbox: its id, and `settled`,
 * which resolves with the server's result when it is acknowledged, or rejects with the refusal
 * (a `XiaoerError` with `reason` and `fields`). `settled` only settles while this page lives; after a
 * reload the command still goes through, and its effects arrive as events.
 */
export interface CommandReceipt {
  readonly id: string;
  readonly settled: Promise<Readonly<Record<string, unknown>> | undefined>;
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
  sendText(text: string): Promise<CommandReceipt>;
  /** Sends a card of one of the buyer's orders into the chat, so the agent sees which order it is about. */
  sendOrderCard(orderId: string): Promise<CommandReceipt>;
  /** Uploads a photo (bytes already shrunk by the caller to at most MAX_PHOTO_BYTES); resolves with its id. */
  uploadPhoto(photo: { mime: 'image/jpeg' | 'image/png' | 'image/webp'; bytes: Uint8Array }): Promise<CommandReceipt & { photoId: string }>;
  /** Uploads a photo and sends it as a message. */
  sendImage(photo: { mime: 'image/jpeg' | 'image/png' | 'image/webp'; bytes: Uint8Array }): Promise<CommandReceipt>;
  /** Asks for a human agent. */
  requestHandoff(): Promise<CommandReceipt>;
  /** Leaves the agent queue. */
  cancelHandoff(): Promise<CommandReceipt>;
  /** Leaves a message (with contact details) when nobody can answer now. */
  leaveMessage(message: { contact: string; text: string }): Promise<CommandReceipt>;
  /** "Was this helpful?" on a bot answer. */
  sendFaqFeedback(messageId: string, helpful: boolean): Promise<CommandReceipt>;
  /** Changes an order's address; refused locally (RefusedError with `reason`/`fields`) when the rules say no. */
  changeAddress(orderId: string, address: Address): Promise<CommandReceipt>;
  /** Cancels an order that has not shipped. */
  cancelOrder(orderId: string): Promise<CommandReceipt>;
  /** Opens an after-sales case; the request is checked against the order first. `settled` resolves with `{ caseId }`. */
  openCase(orderId: string, request: AfterSalesRequest): Promise<CommandReceipt>;
  /** Applies a buyer event (ship the return, withdraw, escalate, confirm the replacement) to a case. */
  actOnCase(caseId: string, event: BuyerCaseEvent): Promise<CommandReceipt>;
  /** Rates the agent session that just ended (once per session). */
  rate(rating: RatingInput): Promise<CommandReceipt>;
  /** Files a complaint; it becomes a ticket in the conversation. */
  complain(complaint: ComplaintInput): Promise<CommandReceipt>;
  /** Asks the server to send a one-time code to an order's contact, for a guest look-up. */
  requestGuestCode(orderId: string): Promise<CommandReceipt>;
  /** Runs a read on the server. Rejects with OfflineError when offline, `timeout` when no answer comes. */
  query<Q extends Query>(query: Q): Promise<QueryResults[Q['type']]>;
  /** Loads the first (or, with `more`, the next) page of the buyer's orders into the state. */
  loadOrders(options?: { more?: boolean }): Promise<void>;
  /** Loads one order, with its logistics, into the state. */
  loadOrder(orderId: string): Promise<void>;
  /** Loads the buyer's after-sales cases into the state. */
  loadCases(): Promise<void>;
  /** A guest's look-up of one order with the one-time code; the order joins the state. */
  lookUpGuestOrder(orderId: string, code: string): Promise<void>;
  /**
   * Loads the page of messages before the first one held (the local cache keeps only the latest),
   * and sets `historyStart` once there is nothing older. One page at a time: a call while one is
   * on its way gets the same promise. Rejects with OfflineError when offline.
   */
  loadOlder(): Promise<void>;
  /** The whole conversation as plain text, oldest first (fetches older pages when needed). */
  transcript(options?: { locale?: string }): Promise<string>;
  /** Resends a failed command under its original id, so the server can never apply it twice. */
  retry(id: string): void;
  /**
   * Gives up a failed command for good — the buyer deletes a message that was not sent: it leaves
   * the outbox and the conversation. Only a failed one (one on its way may already be applied).
   * Returns whether it was discarded.
   */
  discard(id: string): boolean;
  /** Tells the other side whether the buyer is typing (throttled; dropped while offline). */
  setTyping(on: boolean): void;
  /** Resolves once everything queued so far is in storage. */
  persisted(): Promise<void>;
}

// The outbox key is per tab: see createOutboxHome.
const KEYS = (ns: string) => ({ visitor: `${ns}:visitor`, conversation: `${ns}:conversation` });
const TYPING_RESEND_MS = 3_000;
const TYPING_EXPIRY_MS = 6_000;
/** Messages asked for per `loadOlder()` page (the protocol allows up to 200). */
const OLDER_PAGE = 50;
/** Longest the stored history cache may lag behind the state (see writeCache). */
const CACHE_WRITE_MS = 250;
/** A server asking for a longer pause than this is asked again sooner. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;
/** How long the host page's `refreshIdentity` may take before the client goes on without it. */
const IDENTITY_REFRESH_TIMEOUT_MS = 10_000;
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
  const locks = options.locks === null ? undefined : (options.locks ?? (globalThis.navigator as { locks?: OutboxLockManager } | undefined)?.locks);
  const outboxHome = createOutboxHome(storage, options.namespace ?? 'xiaoer', locks);
  const outboxWriter = createLatestWriter<readonly OutboxEntry[]>(storage, outboxHome.key, reportError);
  const cacheWriter = createLatestWriter<ConversationCache>(storage, keys.conversation, reportError);

  let starting: Promise<void> | null = null;
  /** Between start() and stop(): a stop() while start() still hydrates means it must not connect. */
  let wanted = false;
  let link: AbortController | null = null;
  let unsubscribeTransport: (() => void) | null = null;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const receipts = new Map<string, { resolve: (result: Readonly<Record<string, unknown>> | undefined) => void; reject: (error: XiaoerError) => void }>();
  const queries = new Map<string, { type: Query['type']; query: Query; resolve: (value: unknown) => void; reject: (error: XiaoerError) => void; timer: ReturnType<typeof setTimeout> }>();
  const queryTimeoutMs = options.queryTimeoutMs ?? 15_000;
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
  // The history cache is written at most once per CACHE_WRITE_MS, not on every event: each write
  // stores up to LIMITS.cachedMessages messages (megabytes of text at worst), and writing it per
  // event made a busy conversation cost a full copy of its history per message (2,000 chaos-test
  // messages spent ~70% of their time cloning it). A cache a moment behind is safe: the session
  // resumes from its `lastSeq` and the server replays what came after. stop() and persisted() flush.
  let cacheTimer: ReturnType<typeof setTimeout> | undefined;
  const writeCache = () => {
    clearTimeout(cacheTimer);
    cacheTimer = undefined;
    const s = store.getSnapshot();
    if (!s.conversationId) return;
    void cacheWriter.write({
      conversationId: s.conversationId,
      lastSeq: s.lastSeq,
      routing: s.routing,
      messages: s.messages.slice(-LIMITS.cachedMessages),
    });
  };
  const flushCache = () => {
    if (cacheTimer !== undefined) writeCache();
  };
  store.select(
    (s) => s.lastSeq,
    () => {
      cacheTimer ??= setTimeout(writeCache, CACHE_WRITE_MS);
    },
  );
  store.select((s) => s.connection, (c) => emitter.emit('connection:changed', c));
  store.select((s) => s.routing, (r, prev) => emitter.emit('routing:changed', r, prev));

  // ---- the outbox pump: one command on the wire at a time, in order.
  const pump = () => {
    const state = store.getSnapshot();
    if (state.connection.status !== 'online') return;
    // The server would refuse it until the session has a live identity again (see renewIdentity).
    if (renewing) return;
    if (state.outbox.some((e) => e.state === 'sending')) return;
    // In order: nothing overtakes a command waiting out a transient refusal (`retry:`); letting the
    // next one go first stored the buyer's messages out of order (chaos test, retryable nacks).
    // Only a command the server rate-limited (`later:`) steps aside: it may be told to wait
    // minutes, and the conversation must not wait with it.
    const next = state.outbox.find((e) => e.state === 'queued' && !timers.has(`later:${e.id}`));
    if (!next || timers.has(`retry:${next.id}`)) return;
    const sent = transport.send({ v: PROTOCOL_VERSION, kind: 'command', id: next.id, command: next.command });
    if (!sent) return; // the link dropped under us; the status event will bring us back here
    store.dispatch({ type: 'outbox.sending', id: next.id });
    setTimer(`ack:${next.id}`, ackTimeoutMs, () => {
      store.dispatch({ type: 'outbox.requeued', id: next.id });
      pump();
    });
  };

  /** Every timer an outbox entry can have: awaiting its ack, its expiry, a retry, a rate-limit pause. */
  const clearEntryTimers = (id: string) => {
    for (const kind of ['ack', 'expire', 'retry', 'later']) clearTimer(`${kind}:${id}`);
  };

  const settle = (id: string) => {
    clearEntryTimers(id);
    store.dispatch({ type: 'outbox.settled', id });
  };

  const deadLetter = (id: string, error: { code: string; message: string; reason?: string; fields?: readonly FieldProblem[] }) => {
    clearEntryTimers(id);
    receipts.get(id)?.reject(XiaoerError.isInstance(error) ? error : errorFromWire(error));
    receipts.delete(id);
    store.dispatch({ type: 'outbox.failed', id, error: { code: error.code, message: error.message } });
    const entry = store.getSnapshot().outbox.find((e) => e.id === id);
    if (entry) emitter.emit('outbox:dead-letter', entry);
  };

  // The outboxes of tabs that are gone (see createOutboxHome), on load and whenever the link is
  // back (a tab may have closed meanwhile): queued here under their own ids, stored before the
  // orphan is deleted. A message already in the conversation is not sent again.
  const adoptOrphans = () =>
    outboxHome
      .adopt(async (entries) => {
        const s = store.getSnapshot();
        const delivered = new Set(s.messages.map((m) => m.clientId));
        const adopted = entries.filter((e) => !delivered.has(e.id) && !s.outbox.some((o) => o.id === e.id));
        for (const entry of adopted) store.dispatch({ type: 'outbox.enqueued', entry: entry.state === 'sending' ? { ...entry, state: 'queued' } : entry });
        await outboxWriter.write(store.getSnapshot().outbox);
        for (const entry of adopted) watchExpiry(entry);
        pump();
      })
      .catch(reportError);
  store.select(
    (s) => s.connection.status === 'online',
    (online) => {
      if (online) void adoptOrphans();
    },
  );

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
        // A signature that expired while the page slept: the server starts the session anonymous (its
        // refusal follows this frame). Renew before the outbox sends anything, or the buyer's
        // queued messages would land in an anonymous conversation they never see again.
        if (sentBuyer && !frame.buyer && sentBuyer.expires <= now()) void renewIdentity('refused-at-start');
        store.dispatch({
          type: 'session.ready',
          conversationId: frame.conversationId,
          lastSeq: frame.lastSeq,
          routing: frame.routing,
          buyer: frame.buyer ?? null,
          agentsAvailable: frame.agentsAvailable ?? true,
        });
        resumeAfterIdentity();
        pump();
        return;
      case 'result': {
        const pending = queries.get(frame.id);
        if (!pending) return;
        queries.delete(frame.id);
        clearTimeout(pending.timer);
        const checked = v.safeParse(QueryResultSchemas[pending.type], frame.result);
        if (checked.success) pending.resolve(checked.output);
        else {
          const error = new XiaoerError('protocol', `invalid ${pending.type} result: ${checked.issues[0]?.message ?? ''}`);
          reportError(error);
          pending.reject(error);
        }
        return;
      }
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
        receipts.get(frame.id)?.resolve(frame.result);
        receipts.delete(frame.id);
        pump();
        return;
      case 'nack': {
        const error = errorFromWire(frame.error);
        const query = queries.get(frame.id);
        if (query && isIdentityExpired(frame.error) && frame.error.retryable) {
          // Asked again once the session is renewed (its timeout still runs).
          queriesAwaitingIdentity.add(frame.id);
          void renewIdentity('expired');
          return;
        }
        if (query) {
          queries.delete(frame.id);
          clearTimeout(query.timer);
          query.reject(error);
          return;
        }
        clearTimer(`ack:${frame.id}`);
        if (error.isRetryable) {
          if (isIdentityExpired(frame.error)) {
            // Not a refusal: the same command goes through once the identity is renewed.
            commandsAwaitingIdentity.add(frame.id);
            void renewIdentity('expired');
          }
          store.dispatch({ type: 'outbox.requeued', id: frame.id });
          const entry = store.getSnapshot().outbox.find((e) => e.id === frame.id);
          // The server's own "retry after" wins (429-style), within reason; else our backoff.
          const wait = frame.error.retryAfterMs !== undefined ? Math.min(frame.error.retryAfterMs, MAX_RETRY_AFTER_MS) : retryDelay(entry?.attempts ?? 1);
          setTimer(`${error.code === 'rate-limited' ? 'later' : 'retry'}:${frame.id}`, wait, pump);
        } else {
          deadLetter(frame.id, error);
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
      case 'identity.expiring':
        void renewIdentity('expiring');
        return;
      case 'error': {
        if (isIdentityExpired(frame.error) && frame.error.retryable) {
          // Mid-session expiry: handled by renewing, not an error to show.
          void renewIdentity('expired');
          return;
        }
        // Refused at session start (expired before this connection): renew too, once.
        if (isIdentityExpired(frame.error)) void renewIdentity('refused-at-start');
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
          for (const [id, pending] of queries) {
            clearTimeout(pending.timer);
            pending.reject(new OfflineError('the link dropped before the answer came'));
            queries.delete(id);
          }
          store.dispatch({ type: 'connection', connection: event.retryInMs === undefined ? { status: 'offline' } : { status: 'offline', retryInMs: event.retryInMs } });
        }
        // 'open' is not 'online' yet: the session is established by the server's session.ready.
        return;
      case 'frame': {
        let decoded: ReturnType<typeof validateServerFrame>;
        try {
          decoded = validateServerFrame(event.data);
        } catch (cause) {
          // The validator must never throw, but one did (fuzz test: `"v"` nested 10,000 deep made
          // its message's JSON.stringify overflow the stack). A frame is not allowed to take the
          // page down with it: it is a protocol error like any other.
          reportError(new ProtocolError('server frame could not be validated', { cause }));
          return;
        }
        if (decoded.ok) onFrame(decoded.frame);
        else reportError(decoded.error);
        return;
      }
      case 'error':
        reportError(event.error);
        return;
    }
  };

  // ---- identity: what the session says about the buyer, and its renewal mid-session.
  /** A fresh identity from `refreshIdentity`: it outranks an older one of the same buyer from `identity()`. */
  let renewed: BuyerIdentity | undefined;
  /** The signature that expired and was not replaced: not sent again (the visitor goes on anonymous). */
  let droppedSignature: string | undefined;
  /** The renewed signature re-sent once after a refusal at session start (see renewIdentity). */
  let resentAfterRefusal: string | undefined;
  let renewing: Promise<void> | null = null;
  /** Commands and queries the server refused only because the identity expired: resent once it is renewed. */
  const commandsAwaitingIdentity = new Set<string>();
  const queriesAwaitingIdentity = new Set<string>();

  const currentIdentity = (): BuyerIdentity | undefined => {
    const given = options.identity?.();
    if (!given) return undefined;
    const chosen = renewed && renewed.id === given.id && renewed.expires > given.expires ? renewed : given;
    return chosen.signature === droppedSignature ? undefined : chosen;
  };

  const withIdentity = (): { buyer?: BuyerIdentity } => {
    try {
      const buyer = currentIdentity();
      return buyer ? { buyer } : {};
    } catch (error) {
      reportError(error);
      return {};
    }
  };

  const askHostForIdentity = async (): Promise<BuyerIdentity | undefined> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new XiaoerError('timeout', `refreshIdentity did not answer in ${IDENTITY_REFRESH_TIMEOUT_MS} ms`)), IDENTITY_REFRESH_TIMEOUT_MS);
    });
    try {
      return await Promise.race([options.refreshIdentity ? options.refreshIdentity() : Promise.resolve(options.identity?.()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  /**
   * Gets a fresh signature from the host page and renews the session on the open link (a new
   * `session.start`; the server answers with `session.ready` for the same conversation). One
   * renewal at a time; the outbox waits for it. `expiring`: a warning, the old signature still
   * works, so a failed renewal changes nothing yet. `expired` / `refused-at-start`: without a fresh
   * signature the session goes on anonymous, and a renewed signature refused at start (re-sent once
   * first) is not renewed again (no loop with a host page that hands out stale ones).
   */
  const renewIdentity = (why: 'expiring' | 'expired' | 'refused-at-start'): Promise<void> => {
    renewing ??= (async () => {
      let stale: BuyerIdentity | undefined;
      try {
        stale = currentIdentity();
      } catch (error) {
        reportError(error);
      }
      if (!stale) return;
      if (why === 'refused-at-start' && stale === renewed && resentAfterRefusal !== stale.signature) {
        // The refused signature may be an older one: a browser re-opens an SSE stream by itself
        // at its old URL, with the hello of before the renewal. Ours gets one chance on the link.
        resentAfterRefusal = stale.signature;
        if (store.getSnapshot().connection.status === 'online') transport.send(hello());
        return;
      }
      let fresh: BuyerIdentity | undefined;
      let failure: unknown;
      if (why !== 'refused-at-start' || stale !== renewed) {
        try {
          fresh = await askHostForIdentity();
        } catch (error) {
          failure = error;
        }
      }
      // The server judges expiry on its own clock; the client only refuses to resend the same one.
      if (fresh && fresh.signature !== stale.signature) {
        renewed = fresh;
        droppedSignature = undefined;
        emitter.emit('identity:refreshed', fresh);
      } else if (why === 'expiring') {
        if (failure) reportError(failure);
        return;
      } else {
        droppedSignature = stale.signature;
        const error = new XiaoerError('unauthorized', 'the buyer identity expired and was not renewed: continuing as an anonymous visitor', {
          reason: IDENTITY_EXPIRED,
          ...(failure === undefined ? {} : { cause: failure }),
        });
        emitter.emit('identity:dropped', error);
      }
      // When the link is down the next connection's hello carries the outcome.
      if (store.getSnapshot().connection.status === 'online') transport.send(hello());
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  };

  /** After a (re)started session: resend at once what waited only for a live identity, in order. */
  const resumeAfterIdentity = () => {
    for (const id of commandsAwaitingIdentity) clearTimer(`retry:${id}`);
    commandsAwaitingIdentity.clear();
    for (const id of queriesAwaitingIdentity) {
      const pending = queries.get(id);
      if (pending) transport.send({ v: PROTOCOL_VERSION, kind: 'query', id, query: pending.query });
    }
    queriesAwaitingIdentity.clear();
  };

  /** The signed identity the latest session.start carried, if any. */
  let sentBuyer: BuyerIdentity | undefined;
  const hello = (): SessionStartFrame => {
    const s = store.getSnapshot();
    const identity = withIdentity();
    sentBuyer = identity.buyer;
    return {
      v: PROTOCOL_VERSION,
      kind: 'session.start',
      visitor: { visitorId: s.visitorId!, ...identity },
      ...(s.conversationId ? { conversationId: s.conversationId } : {}),
      afterSeq: s.conversationId ? s.lastSeq : 0,
      ...(options.locale ? { locale: options.locale } : {}),
    };
  };

  /** The stored visitor id, or a new one stored now. */
  const readOrCreateVisitorId = async (): Promise<string> => {
    const stored = await storage.get<string>(keys.visitor).catch(reportError);
    if (stored) return stored;
    const created = createClientId('v');
    await storage.set(keys.visitor, created).catch(reportError);
    return created;
  };
  // Under a lock across the tabs of the namespace: two guest tabs loading at once each created an
  // id of their own, and their shared link (shareAcrossTabs) then flipped between two conversations.
  const visitorIdOnce = () => (locks ? locks.request(`xiaoer-visitor:${options.namespace ?? 'xiaoer'}`, {}, readOrCreateVisitorId) : readOrCreateVisitorId());

  const hydrate = async () => {
    if (store.getSnapshot().hydrated) return;
    let visitorId: string | undefined;
    let cache: ConversationCache | undefined;
    let outbox: OutboxEntry[] | undefined;
    try {
      [visitorId, cache, outbox] = await Promise.all([
        visitorIdOnce(),
        storage.get<ConversationCache>(keys.conversation),
        outboxHome.claim(),
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
    await adoptOrphans();
  };

  const enqueue = async (command: Command, id = createClientId()): Promise<CommandReceipt> => {
    if (!store.getSnapshot().hydrated) await (starting ?? hydrate());
    const entry: OutboxEntry = { id, command, createdAt: now(), attempts: 0, state: 'queued' };
    const settled = new Promise<Readonly<Record<string, unknown>> | undefined>((resolve, reject) => receipts.set(id, { resolve, reject }));
    // Nobody may be awaiting it; an unobserved refusal must not become an unhandled rejection.
    settled.catch(() => {});
    store.dispatch({ type: 'outbox.enqueued', entry });
    // Persist before it goes on the wire: a reload right after this never loses it.
    await outboxWriter.write(store.getSnapshot().outbox);
    watchExpiry(entry);
    pump();
    return { id, settled };
  };

  const refuse = (message: string, reason: string, fields?: readonly FieldProblem[]): never => {
    throw new RefusedError(message, { reason, ...(fields ? { fields } : {}) });
  };

  const knownOrder = (orderId: string) => store.getSnapshot().orders[orderId];

  let loadingOlder: Promise<void> | undefined;
  /** The messages before `seq` (newest first, as the server sends them), and whether the page was full. */
  const pageBefore = async (seq: number, limit: number) => {
    const { messages } = await query({ type: 'messages.page', beforeSeq: seq, limit });
    return { older: messages.filter((m) => m.seq < seq), full: messages.length >= limit };
  };
  const query = <Q extends Query>(q: Q): Promise<QueryResults[Q['type']]> => {
    if (store.getSnapshot().connection.status !== 'online') return Promise.reject(new OfflineError());
    const id = createClientId('q');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        queries.delete(id);
        reject(new XiaoerError('timeout', `${q.type}: no answer in ${queryTimeoutMs} ms`));
      }, queryTimeoutMs);
      queries.set(id, { type: q.type, query: q, resolve: resolve as (value: unknown) => void, reject, timer });
      if (!transport.send({ v: PROTOCOL_VERSION, kind: 'query', id, query: q })) {
        clearTimeout(timer);
        queries.delete(id);
        reject(new OfflineError());
      }
    });
  };

  const toBase64 = (bytes: Uint8Array): string => {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  };

  const client: XiaoerClient = {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    select: store.select.bind(store),
    on: (event, callback) => emitter.on(event, callback),

    start() {
      wanted = true;
      starting ??= (async () => {
        await hydrate();
        // Stopped while hydrating (an element removed as the page loads): connecting now left a link,
        // and with shareAcrossTabs a leader lock, that nothing would ever stop.
        if (link || !wanted) return;
        link = new AbortController();
        unsubscribeTransport = transport.subscribe(onTransportEvent);
        transport.connect({ hello, signal: link.signal });
      })().finally(() => { starting = null; });
      return starting;
    },

    stop() {
      wanted = false;
      flushCache();
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
    sendOrderCard: (orderId) => enqueue({ type: 'message.send', body: { kind: 'order-card', orderId } }),

    async uploadPhoto(photo) {
      if (photo.bytes.length === 0) refuse('the photo is empty', 'photo-empty');
      if (photo.bytes.length > MAX_PHOTO_BYTES) refuse(`the photo is larger than ${MAX_PHOTO_BYTES} bytes`, 'photo-too-large');
      const photoId = createClientId('p');
      // The photo id is also the command id: a resent upload is the same upload, never a second photo.
      const receipt = await enqueue({ type: 'photo.upload', photoId, mime: photo.mime, data: toBase64(photo.bytes) }, photoId);
      return { ...receipt, photoId };
    },

    async sendImage(photo) {
      const { photoId } = await client.uploadPhoto(photo);
      return enqueue({ type: 'message.send', body: { kind: 'image', photoId } });
    },

    requestHandoff: () => enqueue({ type: 'handoff.request' }),
    cancelHandoff: () => enqueue({ type: 'handoff.cancel' }),

    async leaveMessage({ contact, text }) {
      if (contact.trim().length < 3) refuse('leave a phone number or e-mail so we can answer', 'contact-required', [{ path: 'contact', code: 'required' }]);
      if (text.trim().length === 0) refuse('the message is empty', 'text-required', [{ path: 'text', code: 'required' }]);
      if (text.length > 2000) refuse('the message is longer than 2000 characters', 'text-too-long', [{ path: 'text', code: 'too-long' }]);
      return enqueue({ type: 'message.leave', contact: contact.trim(), text: text.trim() });
    },

    sendFaqFeedback: (messageId, helpful) => enqueue({ type: 'faq.feedback', messageId, helpful }),

    async changeAddress(orderId, address) {
      const order = knownOrder(orderId);
      if (order) {
        const allowed = canChangeAddress(order);
        if (!allowed.ok) refuse(`the address of order ${orderId} cannot be changed`, allowed.reason);
      }
      const checked = validateAddress(address);
      if (!checked.ok) refuse('the address is not valid', 'address-invalid', checked.errors.map((e) => ({ path: e.field, code: e.code })));
      return enqueue({ type: 'order.change-address', orderId, address });
    },

    async cancelOrder(orderId) {
      const order = knownOrder(orderId);
      if (order) {
        const allowed = canCancel(order);
        if (!allowed.ok) refuse(`order ${orderId} cannot be cancelled`, allowed.reason);
      }
      return enqueue({ type: 'order.cancel', orderId });
    },

    async openCase(orderId, request) {
      const order = knownOrder(orderId);
      if (order) {
        const checked = validateAfterSalesRequest(order, request, now());
        if (!checked.ok) refuse('the after-sales request is not valid', 'request-invalid', checked.errors);
      }
      return enqueue({ type: 'case.open', orderId, request });
    },

    async actOnCase(caseId, event) {
      const current = store.getSnapshot().cases[caseId];
      if (current && !caseCan(current, event, now())) refuse(`the case cannot take "${event.type}" now`, 'invalid-transition');
      return enqueue({ type: 'case.act', caseId, event });
    },

    async rate(input) {
      const checked = validateRating(input);
      if (!checked.ok) return refuse('the rating is not valid', 'rating-invalid', checked.errors);
      return enqueue({ type: 'rating.submit', rating: checked.value });
    },

    async complain(input) {
      const checked = validateComplaint(input);
      if (!checked.ok) return refuse('the complaint is not valid', 'complaint-invalid', checked.errors);
      return enqueue({ type: 'complaint.submit', complaint: checked.value });
    },

    requestGuestCode: (orderId) => enqueue({ type: 'guest.code.request', orderId }),

    query,

    async loadOrders({ more = false } = {}) {
      const cursor = more ? store.getSnapshot().orderList.nextCursor : null;
      if (more && !cursor) return;
      const page = await query({ type: 'orders.list', ...(cursor ? { cursor } : {}), limit: 20 });
      store.dispatch({ type: 'orders.listed', orders: page.orders, nextCursor: page.nextCursor, append: more });
    },

    async loadOrder(orderId) {
      const { order } = await query({ type: 'order.get', orderId });
      store.dispatch({ type: 'orders.put', orders: [order] });
    },

    async loadCases() {
      const { cases } = await query({ type: 'cases.list' });
      store.dispatch({ type: 'cases.put', cases });
    },

    async lookUpGuestOrder(orderId, code) {
      const { order } = await query({ type: 'guest.order', orderId, code });
      store.dispatch({ type: 'orders.put', orders: [order] });
    },

    loadOlder() {
      loadingOlder ??= (async () => {
        const { messages, conversationId } = store.getSnapshot();
        const first = messages[0];
        if (!conversationId) return;
        // seq 1 is the conversation's first event: nothing can come before it.
        if (!first || first.seq <= 1) {
          store.dispatch({ type: 'messages.older', conversationId, messages: [], complete: true });
          return;
        }
        const { older, full } = await pageBefore(first.seq, OLDER_PAGE);
        store.dispatch({ type: 'messages.older', conversationId, messages: older, complete: !full });
      })().finally(() => {
        loadingOlder = undefined;
      });
      return loadingOlder;
    },

    async transcript({ locale = options.locale ?? 'en' } = {}) {
      const state = store.getSnapshot();
      let messages = [...state.messages];
      // Fetch what the local cache no longer holds, page by page, oldest last.
      while (!state.historyStart && (messages[0]?.seq ?? 1) > 1 && state.connection.status === 'online') {
        const { older, full } = await pageBefore(messages[0]!.seq, 200);
        messages = [...older.sort((a, b) => a.seq - b.seq), ...messages];
        if (!full) break;
      }
      return formatTranscript(messages, locale);
    },

    discard(id) {
      const entry = store.getSnapshot().outbox.find((e) => e.id === id);
      if (!entry || entry.state !== 'failed') return false;
      settle(id);
      return true;
    },

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
      flushCache();
      await outboxWriter.flushed();
      await cacheWriter.flushed();
    },
  };
  return client;
}
