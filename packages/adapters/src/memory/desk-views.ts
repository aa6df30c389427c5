// The snapshots the agent desk is sent: the queue, a conversation, a buyer's orders and cases, the inbox.
import { acceptedEvents, nextDeadline, type Agent } from '@xiaoer/core';
import { casesOf, ordersOf } from './commerce.js';
import type { DeskBuyer, DeskBuyerView, DeskCase, DeskConversation, DeskInbox, QueueItem } from './desk-protocol.js';
import { faqStats } from './faq-stats.js';
import { DESK_CASE_EVENTS, orderDeskActions } from './merchant.js';
import { queued } from './routing.js';
import type { BackendState, Config, Conversation } from './state.js';

function buyerOf(state: BackendState, c: Conversation): DeskBuyer | undefined {
  if (!c.buyerId) return undefined;
  return state.buyers.get(c.buyerId) ?? { id: c.buyerId, ...(c.buyerName ? { name: c.buyerName } : {}) };
}

export function queueItems(state: BackendState): QueueItem[] {
  return queued(state).map((c, i) => {
    const lastBuyer = [...c.messages].reverse().find((m) => m.author.role === 'buyer');
    const buyer = buyerOf(state, c);
    return {
      conversationId: c.id,
      visitorId: c.visitorId,
      ...(buyer ? { buyer } : {}),
      position: i + 1,
      waitingSince: c.messages.at(-1)?.createdAt ?? c.createdAt,
      preview: lastBuyer && lastBuyer.body.kind === 'text' ? lastBuyer.body.text.slice(0, 140) : '',
    };
  });
}

/** The agent's live conversations, and the latest ones they ended (to see the rating come in). */
export function conversationsOf(state: BackendState, agent: Agent): Conversation[] {
  const all = [...state.conversations.values()].filter((c) => c.lastAgentId === agent.id);
  const live = all.filter((c) => c.routing.phase === 'agent');
  const recent = all.filter((c) => c.routing.phase !== 'agent').slice(-10);
  return [...live, ...recent];
}

export function deskView(state: BackendState, c: Conversation): DeskConversation {
  const buyer = buyerOf(state, c);
  return { id: c.id, visitorId: c.visitorId, ...(buyer ? { buyer } : {}), routing: c.routing, messages: [...c.messages] };
}

export function buyerView(state: BackendState, config: Config, buyerId: string): DeskBuyerView | null {
  const buyer = state.buyers.get(buyerId);
  if (!buyer) return null;
  const now = config.now();
  const cases: DeskCase[] = casesOf(state, buyerId).map((c) => {
    const tokens = state.evidence.get(c.id) ?? {};
    const deadline = nextDeadline(c);
    return {
      case: c,
      ...(deadline ? { deadline } : {}),
      evidence: c.request.photos.flatMap((p) => (tokens[p.id] ? [{ photoId: p.id, slot: p.slot, url: config.photoUrl(tokens[p.id]!) }] : [])),
      actions: acceptedEvents(c, now).filter((e) => DESK_CASE_EVENTS.includes(e)),
    };
  });
  const conversationId = state.latestByBuyer.get(buyerId);
  return {
    buyer,
    ...(conversationId ? { conversationId } : {}),
    orders: ordersOf(state, buyerId).map((order) => ({ order, actions: orderDeskActions(order) })),
    cases,
  };
}

export function inbox(state: BackendState, config: Config): DeskInbox {
  // Rebuilt from the conversations themselves, so it is as durable as they are.
  const questions: { query: string; hitId: string | null; at: number }[] = [];
  for (const c of state.conversations.values()) {
    c.messages.forEach((m, i) => {
      if (m.author.role !== 'bot' || m.body.kind !== 'text') return;
      const asked = c.messages[i - 1];
      if (!asked || asked.author.role !== 'buyer' || asked.body.kind !== 'text') return; // a welcome, or an answer to a card
      questions.push({ query: asked.body.text, hitId: m.body.faqId ?? null, at: m.createdAt });
    });
  }
  const entries = config.faqEntries;
  const question = (faqId: string) => (entries.find((e) => e.id === faqId && e.locale.startsWith('en')) ?? entries.find((e) => e.id === faqId))?.question ?? faqId;
  return {
    buyers: [...state.buyers.values()],
    leftMessages: [...state.leftMessages.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 100),
    tickets: [...state.tickets.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 100),
    ratings: [...state.ratings.values()].sort((a, b) => b.at - a.at).slice(0, 100),
    faqStats: faqStats({ questions, feedback: state.faqFeedback.values(), question }),
  };
}
