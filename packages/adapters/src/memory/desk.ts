import { InvalidTransitionError, LIMITS, PROTOCOL_VERSION, XiaoerError, transition, type AfterSalesCase, type Agent, type CaseEvent, type Order } from '@xiaoer/core';
import { updateCase, updateOrder } from './commerce.js';
import type { DeskBuyerView, DeskClientFrame, DeskServerFrame } from './desk-protocol.js';
import { buyerView, conversationsOf, deskView, inbox, queueItems } from './desk-views.js';
import { DESK_CASE_EVENTS, deliverOrder, shipOrder } from './merchant.js';
import { deliveredNotice, joinedNotice, shippedNotice } from './notices.js';
import { refreshQueue } from './routing.js';
import type { BackendState, Config, Context, Conversation, DeskState, Sink } from './state.js';

export interface AgentConnection {
  receive(frame: DeskClientFrame): void;
  close(): void;
}

/** Signs an agent's desk in: it gets its snapshot now and every change it shows from then on. */
export function connectDesk(ctx: Context, agent: Agent, sink: Sink<DeskServerFrame>): AgentConnection {
  const { state, config } = ctx;
  const send: Sink<DeskServerFrame> = (frame) => {
    try {
      sink(frame);
    } catch {
      /* ignore a broken desk */
    }
  };
  const desk: DeskState = { agent, buyerId: null };
  state.desks.set(send, desk);
  send({ kind: 'desk.ready', agent, queue: queueItems(state), mine: conversationsOf(state, agent).map((c) => deskView(state, c)), inbox: inbox(state, config) });
  refreshQueue(ctx); // one more agent on duty shortens every estimate
  return {
    receive: (frame) => {
      try {
        handleDeskFrame(ctx, desk, frame, send);
      } catch (error) {
        send({ kind: 'desk.error', message: error instanceof Error ? error.message : 'desk action failed' });
      }
    },
    close: () => {
      state.desks.delete(send);
      refreshQueue(ctx);
    },
  };
}

export function broadcastQueue(state: BackendState): void {
  const queue = queueItems(state);
  for (const desk of state.desks.keys()) desk({ kind: 'desk.queue', queue });
}

export function refreshInbox(state: BackendState, config: Config): void {
  if (state.desks.size === 0) return;
  const snapshot = inbox(state, config);
  for (const desk of state.desks.keys()) desk({ kind: 'desk.inbox', inbox: snapshot });
}

/** Re-sends a buyer's orders and cases to the desks that have that buyer open. */
export function refreshBuyer(state: BackendState, config: Config, buyerId: string): void {
  let view: DeskBuyerView | null | undefined;
  for (const [desk, shown] of state.desks) {
    if (shown.buyerId !== buyerId) continue;
    view ??= buyerView(state, config, buyerId);
    if (view) desk({ kind: 'desk.buyer', view });
  }
}

/** Shows the buyer typing on the desk of the agent serving them. */
export function relayBuyerTyping(state: BackendState, conversation: Conversation, on: boolean): void {
  if (conversation.routing.phase !== 'agent') return;
  const agentId = conversation.routing.agent.id;
  for (const [desk, shown] of state.desks) {
    if (shown.agent.id === agentId) desk({ kind: 'desk.typing', conversationId: conversation.id, on });
  }
}

function handleDeskFrame(ctx: Context, desk: DeskState, frame: DeskClientFrame, send: Sink<DeskServerFrame>): void {
  const { state, config, ledger } = ctx;
  const agent = desk.agent;
  const now = config.now();
  // Desk frames arrive unchecked from the network: every field is tested before it is trusted.
  const kind = (frame as { kind?: unknown } | null)?.kind;
  switch (kind) {
    case 'desk.buyer.open': {
      const f = frame as Extract<DeskClientFrame, { kind: 'desk.buyer.open' }>;
      const view = typeof f.buyerId === 'string' ? buyerView(state, config, f.buyerId) : null;
      if (!view) {
        send({ kind: 'desk.error', message: 'no such buyer' });
        return;
      }
      desk.buyerId = f.buyerId;
      send({ kind: 'desk.buyer', view });
      return;
    }
    case 'desk.order.ship':
    case 'desk.order.deliver': {
      const f = frame as Extract<DeskClientFrame, { kind: 'desk.order.ship' | 'desk.order.deliver' }>;
      const order = typeof f.orderId === 'string' ? state.orders.get(f.orderId) : undefined;
      if (!order) {
        send({ kind: 'desk.error', message: 'no such order' });
        return;
      }
      let next: Order;
      try {
        next =
          f.kind === 'desk.order.ship'
            ? shipOrder(order, { carrier: String(f.carrier ?? ''), waybillNumber: String(f.waybillNumber ?? '') }, now)
            : deliverOrder(order, now);
      } catch (error) {
        if (!XiaoerError.isInstance(error)) throw error;
        send({ kind: 'desk.error', message: error.message, ...(error.reason ? { reason: error.reason } : {}) });
        return;
      }
      updateOrder(ctx, next, f.kind === 'desk.order.ship' ? shippedNotice : deliveredNotice);
      send({ kind: 'desk.done', action: f.kind, ref: order.id });
      return;
    }
    case 'desk.case.act': {
      const f = frame as Extract<DeskClientFrame, { kind: 'desk.case.act' }>;
      const current = typeof f.caseId === 'string' ? state.cases.get(f.caseId) : undefined;
      if (!current) {
        send({ kind: 'desk.error', message: 'no such case' });
        return;
      }
      const type = (f.event as { type?: unknown } | undefined)?.type;
      if (!DESK_CASE_EVENTS.includes(type as CaseEvent['type'])) {
        send({ kind: 'desk.error', message: `the desk cannot send '${String(type)}' to a case` });
        return;
      }
      let next: AfterSalesCase;
      try {
        next = transition(current, f.event, now);
      } catch (error) {
        if (!(error instanceof InvalidTransitionError)) throw error;
        send({ kind: 'desk.error', message: error.message, reason: 'invalid-transition' });
        return;
      }
      updateCase(ctx, current, next);
      send({ kind: 'desk.done', action: 'desk.case.act', ref: current.id });
      return;
    }
    case 'desk.left.answer': {
      const f = frame as Extract<DeskClientFrame, { kind: 'desk.left.answer' }>;
      const left = typeof f.leftMessageId === 'string' ? state.leftMessages.get(f.leftMessageId) : undefined;
      const conversation = left ? state.conversations.get(left.conversationId) : undefined;
      if (!left || !conversation) {
        send({ kind: 'desk.error', message: 'no such left message' });
        return;
      }
      const text = typeof f.text === 'string' ? f.text.trim() : '';
      if (!text || text.length > LIMITS.messageText || typeof f.id !== 'string' || !f.id || f.id.length > LIMITS.id) {
        send({ kind: 'desk.error', message: 'an answer needs an id and 1 to 20,000 characters of text' });
        return;
      }
      if (conversation.commands.has(f.id)) return;
      ledger.appendMessage(conversation, { role: 'agent', name: agent.name }, { kind: 'text', text }, f.id);
      ledger.record({ t: 'left-message', message: { ...left, answer: { text, agent: agent.name, at: now } } });
      refreshInbox(state, config);
      send({ kind: 'desk.done', action: 'desk.left.answer', ref: left.id });
      return;
    }
    case 'desk.take':
    case 'desk.reply':
    case 'desk.typing':
    case 'desk.end':
      break;
    default:
      send({ kind: 'desk.error', message: 'unknown desk frame' });
      return;
  }

  const f = frame as Extract<DeskClientFrame, { kind: 'desk.take' | 'desk.reply' | 'desk.typing' | 'desk.end' }>;
  const conversation = typeof f.conversationId === 'string' ? state.conversations.get(f.conversationId) : undefined;
  if (!conversation) {
    send({ kind: 'desk.error', message: 'no such conversation' });
    return;
  }
  const ownedByAgent = conversation.routing.phase === 'agent' && conversation.routing.agent.id === agent.id;
  switch (f.kind) {
    case 'desk.take': {
      if (conversation.routing.phase !== 'queued') {
        send({ kind: 'desk.error', message: 'this conversation is not waiting in the queue' });
        return;
      }
      const sessionId = ledger.newId('S');
      ledger.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'agent', agent: { id: agent.id, name: agent.name }, sessionId } });
      ledger.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: joinedNotice(agent.name, conversation.locale) });
      refreshQueue(ctx);
      send({ kind: 'desk.conversation', conversation: deskView(state, conversation) });
      return;
    }
    case 'desk.reply': {
      if (!ownedByAgent) {
        send({ kind: 'desk.error', message: 'take the conversation before replying' });
        return;
      }
      const text = typeof f.text === 'string' ? f.text.trim() : '';
      if (!text || text.length > LIMITS.messageText || typeof f.id !== 'string' || f.id.length > LIMITS.id) {
        send({ kind: 'desk.error', message: 'a reply needs an id and 1 to 20,000 characters of text' });
        return;
      }
      if (conversation.commands.has(f.id)) return;
      ledger.appendMessage(conversation, { role: 'agent', name: agent.name }, { kind: 'text', text }, f.id);
      return;
    }
    case 'desk.typing':
      if (!ownedByAgent) return;
      for (const buyer of state.buyerSinks.get(conversation.id) ?? []) {
        buyer({ v: PROTOCOL_VERSION, kind: 'signal', conversationId: conversation.id, signal: { type: 'typing', on: f.on === true, by: { role: 'agent', name: agent.name } } });
      }
      return;
    case 'desk.end': {
      if (!ownedByAgent || conversation.routing.phase !== 'agent') return;
      const { sessionId } = conversation.routing;
      ledger.appendEvent(conversation, {
        type: 'routing.changed',
        routing: { phase: 'ended', agent: { id: agent.id, name: agent.name }, ...(sessionId ? { sessionId } : {}) },
      });
      return;
    }
  }
}
