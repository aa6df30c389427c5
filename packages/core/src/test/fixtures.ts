import type { Message } from '../domain/message.js';
import type { RoutingState } from '../domain/routing.js';
import type { ServerFrame } from '../protocol/frames.js';

export const CONVERSATION_ID = 'conv_test';

export function readyFrame(overrides: Partial<Extract<ServerFrame, { kind: 'session.ready' }>> = {}): ServerFrame {
  return { v: 1, kind: 'session.ready', conversationId: CONVERSATION_ID, visitorId: 'v_test', lastSeq: 0, routing: { phase: 'bot' }, ...overrides };
}

/** A server message at `seq` (a bot text by default). */
export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m_${seq}`,
    conversationId: CONVERSATION_ID,
    seq,
    author: { role: 'bot', name: 'Xiaoer' },
    body: { kind: 'text', text: `message ${seq}` },
    createdAt: 1_700_000_000_000 + seq,
    ...overrides,
  };
}

export function messageFrame(seq: number, overrides: Partial<Message> = {}): ServerFrame {
  return {
    v: 1,
    kind: 'event',
    conversationId: overrides.conversationId ?? CONVERSATION_ID,
    seq,
    event: { type: 'message.created', message: message(seq, overrides) },
  };
}

export function routingFrame(seq: number, routing: RoutingState): ServerFrame {
  return { v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq, event: { type: 'routing.changed', routing } };
}
