import { validateComplaint, validateRating, type Command } from '@xiaoer/core';
import { readableOrder } from './commerce.js';
import { complaintNotice, leftMessageNotice, ratingThanksNotice } from './notices.js';
import { done, fail, fields, type Outcome } from './outcome.js';
import type { LeftMessage, RatingEntry, Ticket } from './records.js';
import type { Context, Conversation, Session } from './state.js';

export type ServiceCommand = Extract<Command, { type: 'message.leave' | 'faq.feedback' | 'rating.submit' | 'complaint.submit' }>;

/** What a buyer tells the shop about its service: left messages, FAQ feedback, ratings and complaints. */
export function runServiceCommand(ctx: Context, session: Session, conversation: Conversation, commandId: string, command: ServiceCommand, now: number): Outcome {
  const { ledger } = ctx;
  switch (command.type) {
    case 'message.leave': {
      const id = ledger.newId('L');
      ledger.accept(conversation, commandId, { leftMessageId: id });
      const message: LeftMessage = {
        id, conversationId: conversation.id, contact: command.contact, text: command.text, createdAt: now,
        ...(session.buyerId ? { buyerId: session.buyerId } : {}),
      };
      ledger.record({ t: 'left-message', message });
      ledger.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: leftMessageNotice(command.contact, conversation.locale) });
      ctx.notify.inbox();
      return done({ leftMessageId: id });
    }

    case 'faq.feedback': {
      const message = conversation.messages.find((m) => m.id === command.messageId);
      if (!message || message.author.role !== 'bot' || message.body.kind !== 'text' || !message.body.faqId) {
        return fail('not-found', 'no such bot answer in this conversation', { reason: 'unknown-message' });
      }
      ledger.accept(conversation, commandId);
      ledger.record({ t: 'faq-feedback', conversationId: conversation.id, messageId: message.id, faqId: message.body.faqId, helpful: command.helpful, at: now });
      ctx.notify.inbox();
      return done(undefined);
    }

    case 'rating.submit': {
      const sessionId = command.rating.sessionId;
      const agentSession = conversation.sessions.get(sessionId);
      if (!agentSession) return fail('refused', 'no such agent session in this conversation', { reason: 'unknown-session', fields: [{ path: 'sessionId', code: 'unknown-session' }] });
      if (!agentSession.ended) return fail('refused', 'the agent session has not ended yet', { reason: 'session-not-ended' });
      const checked = validateRating(command.rating, conversation.ratedSessions);
      if (!checked.ok) {
        const already = checked.errors.some((e) => e.code === 'already-rated');
        return fail('refused', already ? 'this session was already rated' : 'the rating is not valid', { reason: already ? 'already-rated' : 'rating-invalid', fields: fields(checked.errors) });
      }
      ledger.accept(conversation, commandId);
      const entry: RatingEntry = {
        conversationId: conversation.id, rating: checked.value, at: now, agentId: agentSession.agentId,
        ...(session.buyerId ? { buyerId: session.buyerId } : {}),
      };
      ledger.record({ t: 'rating', entry });
      const r = conversation.routing;
      if (r.phase === 'ended' && r.sessionId === sessionId) ledger.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'rated', sessionId } });
      ledger.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: ratingThanksNotice(conversation.locale) });
      ctx.notify.inbox();
      return done(undefined);
    }

    case 'complaint.submit': {
      const checked = validateComplaint(command.complaint);
      if (!checked.ok) return fail('refused', 'the complaint is not valid', { reason: 'complaint-invalid', fields: fields(checked.errors) });
      const complaint = checked.value;
      if (complaint.orderId !== undefined && !readableOrder(ctx.state, session, conversation, complaint.orderId)) {
        return fail('not-found', 'no such order', { reason: 'unknown-order', fields: [{ path: 'orderId', code: 'unknown-order' }] });
      }
      const id = ledger.newId('T');
      ledger.accept(conversation, commandId, { ticketId: id });
      const ticket: Ticket = { id, conversationId: conversation.id, complaint, createdAt: now, ...(session.buyerId ? { buyerId: session.buyerId } : {}) };
      ledger.record({ t: 'ticket', ticket });
      ledger.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: complaintNotice(id, conversation.locale) });
      ctx.notify.inbox();
      return done({ ticketId: id });
    }
  }
}
