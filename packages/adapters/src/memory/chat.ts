import { orderCard, type Command, type MessageBody, type Order, type Query, type QueryResults } from '@xiaoer/core';
import { botOrderCardReply, botReply } from './bot.js';
import { readableOrder } from './commerce.js';
import { LOGIN_REQUIRED, NOT_FOUND, done, fail, type Outcome } from './outcome.js';
import { checkPhoto, photoToken } from './photos.js';
import type { Context, Conversation, Session } from './state.js';

export type ChatCommand = Extract<Command, { type: 'message.send' | 'photo.upload' }>;
export type ChatQuery = Extract<Query, { type: 'faq.entries' | 'messages.page' }>;

/** The conversation itself: a buyer's messages and photos, the bot's answers, and reading back. */
export function runChatCommand(ctx: Context, session: Session, conversation: Conversation, commandId: string, command: ChatCommand, now: number): Outcome {
  return command.type === 'message.send' ? sendMessage(ctx, session, conversation, commandId, command.body) : uploadPhoto(ctx, conversation, commandId, command, now);
}

function uploadPhoto(ctx: Context, conversation: Conversation, commandId: string, command: Extract<Command, { type: 'photo.upload' }>, now: number): Outcome {
  const { photoUrl } = ctx.config;
  const known = conversation.photos.get(command.photoId);
  // The same photo id again (a resend under another command id) is the same photo.
  if (known) return done({ photoId: command.photoId, url: photoUrl(known) });
  const checked = checkPhoto(command.mime, command.data);
  if (!checked.ok) return fail('refused', checked.message, { reason: checked.reason });
  const token = photoToken();
  const result = { photoId: command.photoId, url: photoUrl(token) };
  ctx.ledger.accept(conversation, commandId, result);
  ctx.ledger.record({ t: 'photo', token, conversationId: conversation.id, photoId: command.photoId, mime: command.mime, data: command.data, createdAt: now });
  // Keep the decoded bytes: serving the photo need not decode it again.
  const stored = ctx.state.photos.get(token);
  if (stored) stored.bytes = checked.bytes;
  return done(result);
}

function sendMessage(ctx: Context, session: Session, conversation: Conversation, commandId: string, outgoing: Extract<Command, { type: 'message.send' }>['body']): Outcome {
  const { config, ledger } = ctx;
  let body: MessageBody;
  let order: Order | undefined;
  switch (outgoing.kind) {
    case 'text':
      body = outgoing;
      break;
    case 'image': {
      const token = conversation.photos.get(outgoing.photoId);
      if (!token) return fail('not-found', 'no such photo in this conversation; upload it first', { reason: 'unknown-photo' });
      body = { kind: 'image', photoId: outgoing.photoId, url: config.photoUrl(token) };
      break;
    }
    case 'order-card': {
      if (!session.buyerId && conversation.guestOrders.size === 0) return LOGIN_REQUIRED();
      order = readableOrder(ctx.state, session, conversation, outgoing.orderId);
      if (!order) return NOT_FOUND('order');
      body = { kind: 'order-card', card: orderCard(order) };
      break;
    }
  }
  ledger.accept(conversation, commandId);
  ledger.appendMessage(conversation, { role: 'buyer' }, body, commandId);
  const phase = conversation.routing.phase;
  if (phase !== 'queued' && phase !== 'agent') {
    const context = { agentsAvailable: config.isOpen(config.now()) };
    if (outgoing.kind === 'text') ledger.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botReply(config.faq, outgoing.text, conversation.locale, context));
    else if (order) ledger.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botOrderCardReply(order, conversation.locale, context));
  }
  // A new message changes the queue's preview.
  if (phase === 'queued') ctx.notify.queue();
  return done(undefined);
}

export function runChatQuery(ctx: Context, conversation: Conversation, query: ChatQuery): Outcome<unknown> {
  switch (query.type) {
    case 'faq.entries': {
      const locale = query.locale;
      let entries = ctx.config.faqEntries;
      if (locale) {
        const lang = locale.toLowerCase().split('-')[0];
        const exact = entries.filter((e) => e.locale === locale);
        const sameLanguage = entries.filter((e) => e.locale.toLowerCase().split('-')[0] === lang);
        entries = exact.length > 0 ? exact : sameLanguage.length > 0 ? sameLanguage : entries;
      }
      return done<QueryResults['faq.entries']>({
        entries: entries.slice(0, 2_000).map((e) => ({ id: e.id, locale: e.locale, question: e.question, answer: e.answer, ...(e.keywords ? { keywords: [...e.keywords] } : {}) })),
      });
    }
    case 'messages.page': {
      const limit = query.limit ?? 50;
      const older = conversation.messages.filter((m) => m.seq < query.beforeSeq).slice(-limit).reverse();
      return done<QueryResults['messages.page']>({ messages: older });
    }
  }
}
