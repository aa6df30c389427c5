import type { Message } from '../domain/message.js';
import { LIMITS } from '../domain/limits.js';
import type { Action } from './actions.js';
import type { Order } from '../domain/order.js';
import type { AfterSalesCase } from '../domain/after-sales/case.types.js';

function putAll<T extends { id: string }>(map: Readonly<Record<string, T>>, values: readonly T[]): Readonly<Record<string, T>> {
  if (values.length === 0) return map;
  const next = { ...map };
  for (const value of values) next[value.id] = value;
  return next;
}

const byId = <T extends { id: string }>(values: readonly T[] | undefined): Record<string, T> =>
  Object.fromEntries((values ?? []).map((value) => [value.id, value]));
import { INITIAL_STATE, type ClientState, type OutboxEntry } from './state.js';

function mapEntry(outbox: readonly OutboxEntry[], id: string, change: (e: OutboxEntry) => OutboxEntry): readonly OutboxEntry[] {
  let changed = false;
  const next = outbox.map((e) => {
    if (e.id !== id) return e;
    const updated = change(e);
    if (updated !== e) changed = true;
    return updated;
  });
  return changed ? next : outbox;
}

/** Most messages held in memory; the oldest go first (and can be loaded again with `loadOlder()`). */
const HELD_MESSAGES = LIMITS.cachedMessages * 4;

function insertMessage(messages: readonly Message[], message: Message): readonly Message[] {
  if (messages.some((m) => m.id === message.id)) return messages;
  const last = messages[messages.length - 1];
  const next = !last || last.seq < message.seq ? [...messages, message] : [...messages, message].sort((a, b) => a.seq - b.seq);
  return next.length > HELD_MESSAGES ? next.slice(-HELD_MESSAGES) : next;
}

/** `older` put before `messages` (the ones already held are skipped), in `seq` order. */
function prependMessages(messages: readonly Message[], older: readonly Message[]): readonly Message[] {
  const held = new Set(messages.map((m) => m.id));
  const fresh = older.filter((m) => !held.has(m.id));
  return fresh.length === 0 ? messages : [...fresh, ...messages].sort((a, b) => a.seq - b.seq);
}

/** The client's one reducer: a pure function of (state, action). */
export function reducer(state: ClientState, action: Action): ClientState {
  switch (action.type) {
    case 'hydrated': {
      const cache = action.cache;
      return {
        ...state,
        hydrated: true,
        visitorId: action.visitorId,
        conversationId: cache?.conversationId ?? null,
        lastSeq: cache?.lastSeq ?? 0,
        routing: cache?.routing ?? state.routing,
        messages: cache?.messages ?? [],
        orders: byId<Order>(cache?.orders),
        cases: byId<AfterSalesCase>(cache?.cases),
        // Anything that was on the wire when the page went away is simply queued again.
        outbox: action.outbox.map((e) => (e.state === 'sending' ? { ...e, state: 'queued' as const } : e)),
      };
    }
    case 'connection': {
      if (action.connection.status === 'online' || state.connection.status !== 'online') {
        return { ...state, connection: action.connection };
      }
      // Leaving 'online': whatever was on the wire may or may not have arrived; queue it again.
      return {
        ...state,
        connection: action.connection,
        typing: null,
        outbox: state.outbox.some((e) => e.state === 'sending')
          ? state.outbox.map((e) => (e.state === 'sending' ? { ...e, state: 'queued' as const } : e))
          : state.outbox,
      };
    }
    case 'session.ready': {
      const sameConversation = state.conversationId === action.conversationId && action.lastSeq >= state.lastSeq;
      const sameBuyer = state.buyer?.id === action.buyer?.id;
      return {
        ...state,
        connection: { status: 'online' },
        conversationId: action.conversationId,
        routing: action.routing,
        buyer: action.buyer,
        agentsAvailable: action.agentsAvailable,
        lastError: null,
        ...(sameConversation ? {} : { lastSeq: 0, messages: [], historyStart: false }),
        // Another buyer signed in on this device: nothing of the previous one may remain.
        ...(sameBuyer ? {} : { orders: {}, cases: {}, orderList: INITIAL_STATE.orderList }),
      };
    }
    case 'messages.older': {
      if (action.conversationId !== state.conversationId) return state; // answered after a switch
      const messages = prependMessages(state.messages, action.messages);
      if (messages === state.messages && state.historyStart === action.complete) return state;
      return { ...state, messages, historyStart: action.complete };
    }
    case 'event': {
      const { frame } = action;
      if (frame.conversationId !== state.conversationId || frame.seq <= state.lastSeq) return state;
      const base = { ...state, lastSeq: frame.seq };
      const event = frame.event;
      switch (event.type) {
        case 'message.created': {
          const message = event.message;
          const clientId = message.clientId;
          const messages = insertMessage(state.messages, message);
          return {
            ...base,
            messages,
            // The oldest message was let go to bound memory: it can be loaded again.
            historyStart: state.historyStart && (state.messages.length === 0 || messages[0] === state.messages[0]),
            // The server has the message: its outbox entry is done, whether or not the ack arrives.
            outbox: clientId ? state.outbox.filter((e) => e.id !== clientId) : state.outbox,
            typing: state.typing && message.author.role === state.typing.role ? null : state.typing,
          };
        }
        case 'routing.changed':
          return { ...base, routing: event.routing, typing: event.routing.phase === 'agent' ? state.typing : null };
        case 'order.updated':
          return { ...base, orders: putAll(state.orders, [event.order]) };
        case 'case.updated':
          return { ...base, cases: putAll(state.cases, [event.case]) };
      }
      return base;
    }
    case 'outbox.enqueued':
      return state.outbox.some((e) => e.id === action.entry.id) ? state : { ...state, outbox: [...state.outbox, action.entry] };
    case 'outbox.sending': {
      const outbox = mapEntry(state.outbox, action.id, (e) => (e.state === 'queued' ? { ...e, state: 'sending', attempts: e.attempts + 1 } : e));
      return outbox === state.outbox ? state : { ...state, outbox };
    }
    case 'outbox.requeued': {
      const outbox = mapEntry(state.outbox, action.id, (e) => (e.state === 'sending' ? { ...e, state: 'queued' } : e));
      return outbox === state.outbox ? state : { ...state, outbox };
    }
    case 'outbox.settled':
      return state.outbox.some((e) => e.id === action.id) ? { ...state, outbox: state.outbox.filter((e) => e.id !== action.id) } : state;
    case 'outbox.failed': {
      const outbox = mapEntry(state.outbox, action.id, (e) => ({ ...e, state: 'failed', error: action.error }));
      return outbox === state.outbox ? state : { ...state, outbox };
    }
    case 'outbox.retry': {
      const outbox = mapEntry(state.outbox, action.id, (e) =>
        e.state === 'failed' ? { id: e.id, command: e.command, createdAt: action.now, attempts: 0, state: 'queued' } : e,
      );
      return outbox === state.outbox ? state : { ...state, outbox };
    }
    case 'orders.listed': {
      const ids = action.orders.map((o) => o.id);
      const merged = action.append ? [...state.orderList.ids, ...ids.filter((id) => !state.orderList.ids.includes(id))] : ids;
      return {
        ...state,
        orders: putAll(state.orders, action.orders),
        orderList: { ids: merged, nextCursor: action.nextCursor, loaded: true },
      };
    }
    case 'orders.put':
      return { ...state, orders: putAll(state.orders, action.orders) };
    case 'cases.put':
      return { ...state, cases: putAll(state.cases, action.cases) };
    case 'typing':
      return state.typing === action.by ? state : { ...state, typing: action.by };
    case 'error':
      return { ...state, lastError: action.error };
  }
}
