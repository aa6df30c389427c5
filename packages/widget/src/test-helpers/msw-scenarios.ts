// Storybook support (not part of the package's API): scenarios for `parameters.xiaoer`, played by
// `@xiaoer/adapters/msw` behind the real HTTP + SSE transport (.storybook/msw.ts). Everything here
// is data the demo backend (`SupportBackend`) serves: a seeded conversation, the demo shop with
// extra after-sales cases, refusals, a broken link.
import {
  HOUR_MS,
  openCase,
  transition,
  type AfterSalesCase,
  type AfterSalesRequest,
  type CaseEvent,
  type ConversationEvent,
  type MessageBody,
  type Order,
  type RoutingState,
  type XiaoerClient,
} from '@xiaoer/core';
import { DEMO_AGENTS, DEMO_BUYER, SupportBackend, demoShop, type BackendOptions } from '@xiaoer/adapters/memory';
import type { XiaoerHandlers, XiaoerHandlersOptions } from '@xiaoer/adapters/msw';

/** What a story puts in `parameters.xiaoer`: the msw handlers' options, and hooks. */
export interface MswScenario extends Omit<XiaoerHandlersOptions, 'baseUrl' | 'backend'> {
  /** A fresh backend for each render (the demo shop by default). */
  backend?: () => SupportBackend;
  /** Runs once the client is online, before the story renders: act as the agent, send a message… */
  after?: (context: { client: XiaoerClient; handlers: XiaoerHandlers }) => void | Promise<void>;
}

/** `parameters` for a story played over msw. */
export const msw = (scenario: MswScenario) => ({ xiaoer: scenario });

export { DEMO_BUYER };
export const AGENT = DEMO_AGENTS[0];

/** A conversation's events, a minute apart, ending `endsAgoMs` before now. */
export function conversation(steps: readonly (readonly ['buyer' | 'bot' | 'agent' | 'system', MessageBody] | RoutingState)[], endsAgoMs = 60_000): ConversationEvent[] {
  const start = Date.now() - endsAgoMs - steps.length * 60_000;
  return steps.map((step, i): ConversationEvent => {
    if (!Array.isArray(step)) return { type: 'routing.changed', routing: step as RoutingState };
    const [role, body] = step as readonly ['buyer' | 'bot' | 'agent' | 'system', MessageBody];
    const author = role === 'agent' ? { role, name: AGENT.name, id: AGENT.id } : role === 'bot' ? { role, name: '店小二' } : { role };
    // The conversation id is the handlers' to set; the seq is the event's place.
    return { type: 'message.created', message: { id: `seed-${i + 1}`, conversationId: 'seed', seq: i + 1, author, body, createdAt: start + i * 60_000 } };
  });
}

export const text = (value: string): MessageBody => ({ kind: 'text', text: value });

/** The first exchange of most chat stories: the bot's welcome, a question, the FAQ answer. */
export const BOT_ANSWERED = [
  ['bot', { kind: 'text', text: '您好，我是店小二，有什么可以帮您？', suggestions: [{ label: '我的包裹到哪了', action: 'send-text' }, { label: '找人工客服', action: 'handoff' }] }],
  ['buyer', text('退款多久到账？')],
  ['bot', text('商家确认后 1–3 个工作日原路退回；符合极速退款条件的订单会先行退款。')],
] as const satisfies Parameters<typeof conversation>[0];

/** `n` messages back and forth, for the history's paging and scrolling. */
export function longHistory(n: number): ConversationEvent[] {
  return conversation(
    Array.from({ length: n }, (_, i) =>
      i % 2 === 0 ? (['buyer', text(`第 ${i / 2 + 1} 个问题：这个订单什么时候发货？`)] as const) : (['bot', text(`第 ${(i + 1) / 2} 个回答：现货商品付款后 48 小时内发货。`)] as const),
    ),
  );
}

/** The demo shop's order with this id (as of now). */
export function demoOrder(id: string): Order {
  const order = demoShop(Date.now()).orders.find((o) => o.id === id);
  if (!order) throw new Error(`no demo order ${id}`);
  return order;
}

/**
 * An after-sales case on a demo order (XE10006 by default: delivered two days ago, insured, fast
 * refund), made the way the server makes one: `openCase`, then each event an hour apart through
 * core's `transition`, so the story shows a state the machine can really reach.
 */
export function demoCase(id: string, steps: readonly CaseEvent[], request: Partial<AfterSalesRequest> = {}, orderId = 'XE10006'): AfterSalesCase {
  const order = demoOrder(orderId);
  const line = order.items[0]!;
  // A timeout happens at its deadline (days later): such a case opened long enough ago.
  const openedAt = Date.now() - (steps.some((s) => s.type === 'timeout') ? 14 * 24 : steps.length + 2) * HOUR_MS;
  let c = openCase(
    order,
    { type: 'return-and-refund', lines: [{ lineId: line.lineId, quantity: 1 }], reason: 'no-longer-needed', amount: { ...line.paid, amount: Math.floor(line.paid.amount / line.quantity) }, description: '不想要了，包装完好。', photos: [], ...request },
    openedAt,
    id,
  );
  let at = openedAt;
  for (const step of steps) {
    const deadline = Math.min(...Object.values(c.deadlines ?? {}).filter((d): d is number => typeof d === 'number'));
    at = step.type === 'timeout' && Number.isFinite(deadline) ? Math.max(at, deadline) + 60_000 : at + HOUR_MS;
    c = transition(c, step, at);
  }
  return c;
}

/** A backend factory for `parameters.xiaoer.backend`: the demo shop, with these changes. */
export function demoBackend(options: { cases?: readonly AfterSalesCase[]; orders?: 'none'; isOpen?: boolean } & Omit<BackendOptions, 'shop' | 'isOpen'> = {}): () => SupportBackend {
  const { cases, orders, isOpen, ...rest } = options;
  return () => {
    const shop = demoShop(Date.now());
    return new SupportBackend({
      ...rest,
      ...(isOpen === undefined ? {} : { isOpen: () => isOpen }),
      shop: {
        ...shop,
        orders: orders === 'none' ? [] : shop.orders,
        cases: orders === 'none' ? [] : cases ? cases.map((c) => ({ case: c, photoIds: [] })) : shop.cases,
      },
    });
  };
}
