import type { FaqIndex, MessageBody } from '@xiaoer/core';

const zh = (locale: string) => locale.toLowerCase().startsWith('zh');

/** The first message of every conversation. */
export function botWelcome(locale: string): MessageBody {
  return zh(locale)
    ? {
        kind: 'text',
        text: '您好，我是店小二，有什么可以帮您？可以直接提问，或选择下面的常见问题。',
        suggestions: [
          { label: '我的包裹到哪了', action: 'send-text', text: '我的包裹到哪了？' },
          { label: '怎么退货', action: 'send-text', text: '支持七天无理由退货吗？' },
          { label: '找人工客服', action: 'handoff' },
        ],
      }
    : {
        kind: 'text',
        text: "Hi, I'm Xiaoer, the shop's assistant. Ask me anything, or pick a common question below.",
        suggestions: [
          { label: 'Where is my parcel?', action: 'send-text', text: 'Where is my parcel?' },
          { label: 'Returns', action: 'send-text', text: 'Can I return an item within 7 days?' },
          { label: 'Ask a person', action: 'handoff' },
        ],
      };
}

/**
 * The bot's answer to a buyer's text: the best FAQ entry above the relevance threshold, or an
 * honest "not sure" that offers a person — never a confident wrong answer.
 */
export function botReply(faq: FaqIndex, text: string, locale: string): MessageBody {
  const [best] = faq.search(text, { locale, limit: 1 });
  if (best) return { kind: 'text', text: best.entry.answer, suggestions: [handoff(locale)] };
  return {
    kind: 'text',
    text: zh(locale) ? '抱歉，这个问题我还不太确定。需要为您转接人工客服吗？' : "Sorry, I'm not sure about that one. Would you like to talk to a person?",
    suggestions: [handoff(locale)],
  };
}

const handoff = (locale: string) => ({ label: zh(locale) ? '找人工客服' : 'Ask a person', action: 'handoff' as const });
