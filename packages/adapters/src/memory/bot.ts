import type { MessageBody, Order, Suggestion } from '@xiaoer/core';
import type { FaqIndex } from '@xiaoer/core/faq';

const zh = (locale: string) => locale.toLowerCase().startsWith('zh');

export interface BotContext {
  /** Whether agents are on duty: if not, "ask a person" becomes "leave a message". */
  readonly agentsAvailable?: boolean;
}

/** The way to a person: a handoff while agents are on duty, a left message otherwise. */
function person(locale: string, { agentsAvailable = true }: BotContext): Suggestion {
  if (agentsAvailable) return { label: zh(locale) ? '找人工客服' : 'Ask a person', action: 'handoff' };
  return { label: zh(locale) ? '给客服留言' : 'Leave a message', action: 'leave-message' };
}

const openOrders = (locale: string): Suggestion => ({ label: zh(locale) ? '查看我的订单' : 'My orders', action: 'open-orders' });
const openAfterSales = (locale: string): Suggestion => ({ label: zh(locale) ? '申请退款/售后' : 'Returns & refunds', action: 'open-after-sales' });
const openHelp = (locale: string): Suggestion => ({ label: zh(locale) ? '帮助中心' : 'Help center', action: 'open-help' });

/** FAQ answers that lead somewhere in the widget: tracking and address to the orders, returns to after-sales. */
const FAQ_ACTIONS: Readonly<Record<string, (locale: string) => Suggestion>> = {
  'track-parcel': openOrders,
  'shipping-time': openOrders,
  'change-address': openOrders,
  'cancel-order': openOrders,
  'return-policy': openAfterSales,
  'refund-time': openAfterSales,
  'shipping-insurance': openAfterSales,
  'fast-refund': openAfterSales,
  exchange: openAfterSales,
};

/** The first message of every conversation. */
export function botWelcome(locale: string, context: BotContext = {}): MessageBody {
  return zh(locale)
    ? {
        kind: 'text',
        text: '您好，我是店小二，有什么可以帮您？可以直接提问，或选择下面的常见问题。',
        suggestions: [
          { label: '我的包裹到哪了', action: 'send-text', text: '我的包裹到哪了？' },
          { label: '怎么退货', action: 'send-text', text: '支持七天无理由退货吗？' },
          openOrders(locale),
          person(locale, context),
        ],
      }
    : {
        kind: 'text',
        text: "Hi, I'm Xiaoer, the shop's assistant. Ask me anything, or pick a common question below.",
        suggestions: [
          { label: 'Where is my parcel?', action: 'send-text', text: 'Where is my parcel?' },
          { label: 'Returns', action: 'send-text', text: 'Can I return an item within 7 days?' },
          openOrders(locale),
          person(locale, context),
        ],
      };
}

/**
 * The bot's answer to a buyer's text: the best FAQ entry above the relevance threshold (with its
 * `faqId`, for "was this helpful?", and a way into the widget's matching view), or an honest
 * "not sure" that offers the help center and a person — never a confident wrong answer.
 */
export function botReply(faq: FaqIndex, text: string, locale: string, context: BotContext = {}): MessageBody {
  const [best] = faq.search(text, { locale, limit: 1 });
  if (best) {
    const action = FAQ_ACTIONS[best.entry.id];
    return {
      kind: 'text',
      text: best.entry.answer,
      faqId: best.entry.id,
      suggestions: [...(action ? [action(locale)] : []), person(locale, context)],
    };
  }
  return {
    kind: 'text',
    text: zh(locale)
      ? `抱歉，这个问题我还不太确定。可以在帮助中心搜索，或${context.agentsAvailable === false ? '给客服留言' : '转接人工客服'}。`
      : `Sorry, I'm not sure about that one. Try the help center, or ${context.agentsAvailable === false ? 'leave a message for an agent' : 'talk to a person'}.`,
    suggestions: [openHelp(locale), person(locale, context)],
  };
}

/** The bot's answer to an order card in the bot phase: where the order stands, and the way to it. */
export function botOrderCardReply(order: Order, locale: string, context: BotContext = {}): MessageBody {
  const status = zh(locale) ? ZH_STATUS[order.status] : order.status.replace('-', ' ');
  return {
    kind: 'text',
    text: zh(locale)
      ? `订单 ${order.id} 当前状态：${status}。可以在“我的订单”里查看物流、修改地址或申请售后。`
      : `Order ${order.id} is ${status}. Open "My orders" to track it, change the address or ask for a refund.`,
    suggestions: [openOrders(locale), ...(order.status === 'delivered' || order.status === 'completed' ? [openAfterSales(locale)] : []), person(locale, context)],
  };
}

const ZH_STATUS: Record<Order['status'], string> = {
  'awaiting-payment': '待付款',
  'awaiting-shipment': '待发货',
  shipped: '已发货',
  delivered: '已签收',
  completed: '已完成',
  closed: '已关闭',
};
