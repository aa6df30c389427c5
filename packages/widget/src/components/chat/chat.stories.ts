import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { createClient, createMemoryStorage, orderCard, type XiaoerClient } from '@xiaoer/core';
import { CONVERSATION_ID, message } from '@xiaoer/core/test';
import { connect, refuse } from '../../test-helpers/backend.js';
import { createMemoryTransport } from '@xiaoer/adapters/memory';
import type { XiaoerHandlers } from '@xiaoer/adapters/msw';
import { AGENT, BOT_ANSWERED, DEMO_BUYER, conversation, demoBackend, demoOrder, longHistory, msw, text } from '../../test-helpers/msw-scenarios.js';

// Every story but the first runs the real HTTP + SSE transport against `@xiaoer/adapters/msw` in
// msw's service worker (`parameters.xiaoer`, played by .storybook/msw.ts): the states come from
// what the server sends, not from a store poked into shape.
type Loaded = { client: XiaoerClient; handlers: XiaoerHandlers };

const meta: Meta = {
  title: 'Widget/xiaoer-chat',
  component: 'xiaoer-chat',
  render: (_args, { globals, loaded }) =>
    html`<xiaoer-chat open locale=${globals.locale ?? 'zh-CN'} theme=${globals.theme ?? 'light'} .client=${loaded.client}></xiaoer-chat>`,
};
export default meta;
type Story = StoryObj;

/** The embedded in-page demo backend (the memory transport): ask anything, ask for a person. */
export const DemoBackend: Story = {
  loaders: [async () => ({ client: createClient({ transport: createMemoryTransport({ latencyMs: 150 }), locale: 'zh-CN' }) })],
  play: async ({ loaded }) => void (await (loaded.client as XiaoerClient).start()),
};

/** A first visit: nothing yet but the bot's welcome and the quick actions. */
export const NewVisitor: Story = { parameters: msw({}) };

/** The session has not opened yet (the server does not answer): the chat while it loads. */
export const Loading: Story = { parameters: msw({ link: 'stalled' }) };

export const BotAnswered: Story = { parameters: msw({ buyer: DEMO_BUYER, history: conversation(BOT_ANSWERED) }) };

/** 300 messages: the list scrolls to the newest, older ones are rendered on the way up. */
export const LongHistory: Story = { parameters: msw({ buyer: DEMO_BUYER, history: longHistory(300) }) };

export const Queued: Story = {
  parameters: msw({ buyer: DEMO_BUYER, history: conversation([...BOT_ANSWERED, ['buyer', text('转人工')], { phase: 'queued', position: 3, etaSeconds: 360 }]) }),
};

/** An agent took the chat, answered, and is typing again (from the agent desk, through the backend). */
export const AgentTyping: Story = {
  parameters: msw({
    buyer: DEMO_BUYER,
    history: conversation([...BOT_ANSWERED, { phase: 'agent', agent: AGENT, sessionId: 'sess-1' }, ['agent', text('您好，我是 Lin Xiao，我来帮您查一下。')]]),
    after: ({ client, handlers }) => {
      const desk = handlers.backend.connectAgent(AGENT, () => {});
      desk.receive({ kind: 'desk.typing', conversationId: client.getSnapshot().conversationId!, on: true });
    },
  }),
};

/** The link drops after the chat was online: the "reconnecting" banner, history kept. */
export const Reconnecting: Story = {
  tags: ['link-failure'],
  parameters: msw({ buyer: DEMO_BUYER, history: conversation(BOT_ANSWERED) }),
  play: async ({ loaded }) => (loaded as Loaded).handlers.setLink('down'),
};

/** Offline, the buyer writes anyway: the message waits in the outbox and goes when the link is back. */
export const OfflineWithPendingMessage: Story = {
  tags: ['link-failure'],
  parameters: msw({ buyer: DEMO_BUYER, history: conversation(BOT_ANSWERED) }),
  play: async ({ loaded }) => {
    const { client, handlers } = loaded as Loaded;
    handlers.setLink('down');
    await client.sendText('网络断了还能发吗？');
  },
};

/** The server refuses the event stream (503) from the start: the transport keeps backing off. */
export const ServerUnavailable: Story = { tags: ['link-failure'], parameters: msw({ link: 'refused' }) };

/** The server refuses a message (a nack): "not sent", the reason, Resend. */
export const FailedMessage: Story = {
  parameters: msw({
    buyer: DEMO_BUYER,
    history: conversation(BOT_ANSWERED),
    refuse: { 'message.send': { code: 'refused', message: '消息包含不允许的内容。', retryable: false, reason: 'content-blocked' } },
    after: async ({ client }) => void (await client.sendText('这条消息被拒绝了')),
  }),
};

/** Untrusted text stays text: markup in a name and a message, a very long message, an unbroken word. */
export const LongUntrustedText: Story = {
  parameters: msw({
    buyer: DEMO_BUYER,
    history: conversation([
      { phase: 'agent', agent: { id: AGENT.id, name: '<img src=x onerror=alert(1)>' } },
      ['agent', text(`<script>alert(1)</script> ${'很长的文字'.repeat(800)} ${'x'.repeat(300)}`)],
    ]),
  }),
};

export const ChatEnded: Story = {
  parameters: msw({ buyer: DEMO_BUYER, history: conversation([...BOT_ANSWERED, { phase: 'agent', agent: AGENT, sessionId: 'sess-1' }, ['agent', text('还有其他问题吗？')], { phase: 'rated', sessionId: 'sess-1' }]) }),
};

export const OutsideServiceHours: Story = {
  parameters: msw({ buyer: DEMO_BUYER, backend: demoBackend({ isOpen: false }), history: conversation([...BOT_ANSWERED, { phase: 'offline', reason: 'closed-hours' }]) }),
};

/**
 * A device that holds the latest 40 of 300 messages (its cache after a reload), on the scripted
 * backend; `messages.page` is held unanswered or refused.
 */
async function holdingLatest(page: 'hold' | 'refuse') {
  const storage = createMemoryStorage();
  const now = Date.now();
  const messages = Array.from({ length: 40 }, (_, i) => {
    const seq = 261 + i;
    return message(seq, { author: seq % 2 ? { role: 'bot', name: '店小二' } : { role: 'buyer' }, body: { kind: 'text', text: `第 ${seq} 条消息` }, createdAt: now - (300 - seq) * 60_000 });
  });
  await storage.set('xiaoer:conversation', { conversationId: CONVERSATION_ID, lastSeq: 300, routing: { phase: 'bot' }, messages });
  const { client } = await connect({
    storage,
    lastSeq: 300,
    setup: (backend) => backend.onQuery('messages.page', () => (page === 'hold' ? new Promise(() => {}) : refuse('unavailable'))),
  });
  return { client };
}

/** Scrolls the message log to its top, as the buyer does to read further back. */
const scrollToTop = async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const chat = canvasElement.querySelector('xiaoer-chat') as (HTMLElement & { updateComplete: Promise<unknown> }) | null;
  await chat?.updateComplete;
  const log = chat?.shadowRoot?.querySelector<HTMLElement>('[role="log"]');
  if (log) log.scrollTop = 0;
};

/** Scrolled to the top of what the device holds: the earlier messages are on their way. */
export const EarlierMessagesLoading: Story = { loaders: [() => holdingLatest('hold')], play: scrollToTop };

/** The same, when the server could not send them: the reason, and Try again. */
export const EarlierMessagesFailed: Story = { loaders: [() => holdingLatest('refuse')], play: scrollToTop };

/** A square PNG of one colour, as a pasted screenshot would be. */
async function swatch(hue: number): Promise<File> {
  const canvas = new OffscreenCanvas(96, 96);
  const context = canvas.getContext('2d')!;
  context.fillStyle = `hsl(${hue} 70% 55%)`;
  context.fillRect(0, 0, 96, 96);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], `swatch-${hue}.png`, { type: 'image/png' });
}

/** The composer with two pasted photos waiting for Send, and the emoji picker open above it. */
export const ComposerPhotosAndEmoji: Story = {
  parameters: msw({ buyer: DEMO_BUYER, history: conversation(BOT_ANSWERED) }),
  play: async ({ canvasElement }) => {
    const chat = canvasElement.querySelector('xiaoer-chat')!;
    await (chat as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    const root = chat.shadowRoot!;
    const photos = new DataTransfer();
    for (const hue of [20, 200]) photos.items.add(await swatch(hue));
    root.querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: photos, bubbles: true, cancelable: true, composed: true }));
    root.querySelector<HTMLButtonElement>('[part~="emoji-button"]')!.click();
  },
};

// ---------------------------------------------------------------- commerce

/** Order card, product card, a notice that opens the order, an FAQ answer with "Was this helpful?". */
export const RichMessages: Story = {
  parameters: msw({
    buyer: DEMO_BUYER,
    history: conversation([
      ['bot', { kind: 'text', text: '退款多久到账？商家同意后 1–3 个工作日原路退回。', faqId: 'refund-time', suggestions: [{ label: '查看我的订单', action: 'open-orders' }, { label: '帮助中心', action: 'open-help' }] }],
      ['buyer', { kind: 'order-card', card: orderCard(demoOrder('XE10006')) }],
      ['agent', { kind: 'product-card', productId: 'p1', title: '青瓷品茗杯（4 只装）', price: { amount: 12800, currency: 'CNY' }, url: 'https://shop.example/p/1' }],
      ['system', { kind: 'notice', text: '您的订单 XE10006 已签收。', ref: { type: 'order', id: 'XE10006' } }],
    ]),
  }),
};

/** The agent session ended: the rating card in the conversation. */
export const RatingAfterSession: Story = {
  parameters: msw({ buyer: DEMO_BUYER, history: conversation([...BOT_ANSWERED, { phase: 'agent', agent: AGENT, sessionId: 'sess-1' }, ['agent', text('已为您处理好了。')], { phase: 'ended', agent: AGENT, sessionId: 'sess-1' }]) }),
};

/** "My orders" from the quick actions: the demo shop's orders, paged from the server. */
export const MyOrdersView: Story = {
  parameters: msw({ buyer: DEMO_BUYER }),
  play: async ({ canvasElement }) => {
    const chat = canvasElement.querySelector('xiaoer-chat')!;
    await chat.updateComplete;
    chat.shadowRoot!.querySelector<HTMLButtonElement>('.quick-action')!.click();
  },
};

/** Outside service hours, "Talk to a person" opens the leave-a-message form. */
export const LeaveMessageView: Story = {
  parameters: msw({ buyer: DEMO_BUYER, backend: demoBackend({ isOpen: false }) }),
  play: async ({ canvasElement }) => {
    const chat = canvasElement.querySelector('xiaoer-chat')!;
    await chat.updateComplete;
    [...chat.shadowRoot!.querySelectorAll<HTMLButtonElement>('.quick-action')].at(-1)!.click();
  },
};
