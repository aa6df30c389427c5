import type { Message } from '../domain/message.js';
import { LIMITS } from '../domain/limits.js';
import type { Action } from './actions.js';
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

function insertMessage(messages: readonly Message[], message: Message): readonly Message[] {
  if (messages.some((m) => m.id === message.id)) return messages;
  const last = messages[messages.length - 1];
  const next = !last || last.seq < message.seq ? [...messages, message] : [...messages, message].sort((a, b) => a.seq - b.seq);
  // Keep memory bounded; older pages are fetched again from the server when needed.
  return next.length > LIMITS.cachedMessages * 4 ? next.slice(-LIMITS.cachedMessages * 4) : next;
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
      return {
        ...state,
        connection: { status: 'online' },
        conversationId: action.conversationId,
        routing: action.routing,
        lastError: null,
        ...(sameConversation ? {} : { lastSeq: 0, messages: [] }),
      };
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
          return {
            ...base,
            messages: insertMessage(state.messages, message),
            // The server has the message: its outbox entry is done, whether or not the ack arrives.
            outbox: clientId ? state.outbox.filter((e) => e.id !== clientId) : state.outbox,
            typing: state.typing && message.author.role === state.typing.role ? null : state.typing,
          };
        }
        case 'routing.changed':
          return { ...base, routing: event.routing, typing: event.routing.phase === 'agent' ? state.typing : null };
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
    case 'typing':
      return state.typing === action.by ? state : { ...state, typing: action.by };
    case 'error':
      return { ...state, lastError: action.error };
  }
}

export { INITIAL_STATE };
