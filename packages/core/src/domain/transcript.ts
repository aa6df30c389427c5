import type { Message } from './message.js';

const ROLE_LABELS: Record<string, Record<Message['author']['role'], string>> = {
  zh: { buyer: '我', bot: '小二助手', agent: '客服', system: '通知' },
  en: { buyer: 'You', bot: 'Assistant', agent: 'Agent', system: 'Notice' },
};

function bodyText(message: Message): string {
  const body = message.body;
  switch (body.kind) {
    case 'text':
    case 'notice':
      return body.text;
    case 'image':
      return `[image ${body.photoId}]`;
    case 'order-card':
      return `[order ${body.card.orderId}: ${body.card.title}]`;
    case 'product-card':
      return `[product ${body.productId}: ${body.title}]`;
  }
}

/**
 * A conversation as a plain-text transcript the buyer can keep: one block per message with time
 * and author, oldest first. Text only — nothing in it is markup.
 */
export function formatTranscript(messages: readonly Message[], locale = 'en'): string {
  const labels = ROLE_LABELS[locale.toLowerCase().startsWith('zh') ? 'zh' : 'en']!;
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return messages
    .map((m) => `[${time.format(m.createdAt)}] ${m.author.name ?? labels[m.author.role]}:\n${bodyText(m)}`)
    .join('\n\n')
    .concat('\n');
}
