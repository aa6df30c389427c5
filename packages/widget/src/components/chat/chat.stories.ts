import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { createClient, type ServerFrame, type XiaoerClient } from '@xiaoer/core';
import { MockTransport, messageFrame, readyFrame, routingFrame } from '@xiaoer/core/test';
import { createMemoryTransport } from '@xiaoer/adapters/memory';
import { orderCard } from '@xiaoer/core';
import { makeOrder } from '../../test-helpers/backend.js';
import { demoClient } from '../../test-helpers/stories.js';

/**
 * A client in a given state, fed by a scripted transport: each story shows one state of the chat
 * without any server.
 */
function scripted(frames: ServerFrame[], after?: (transport: MockTransport, client: XiaoerClient) => void): XiaoerClient {
  const transport = new MockTransport();
  const client = createClient({ transport });
  void client.start().then(() => {
    transport.open();
    transport.receive(readyFrame({ lastSeq: frames.length }));
    for (const frame of frames) transport.receive(frame);
    after?.(transport, client);
  });
  return client;
}

const welcome = messageFrame(1, { author: { role: 'bot', name: 'Xiaoer' }, body: { kind: 'text', text: '您好，我是店小二，有什么可以帮您？', suggestions: [{ label: '我的包裹到哪了', action: 'send-text' }, { label: '找人工客服', action: 'handoff' }] } });
const question = messageFrame(2, { author: { role: 'buyer' }, clientId: 'c_story', body: { kind: 'text', text: '退款多久到账？' } });
const answer = messageFrame(3, { author: { role: 'bot', name: 'Xiaoer' }, body: { kind: 'text', text: '商家确认后 1–3 个工作日原路退回；符合极速退款条件的订单会先行退款。' } });

const meta: Meta = {
  title: 'Widget/xiaoer-chat',
  component: 'xiaoer-chat',
  render: (_args, { globals, loaded }) => html`<xiaoer-chat open locale=${globals.locale ?? 'zh-CN'} .client=${loaded.client}></xiaoer-chat>`,
};
export default meta;
type Story = StoryObj;

/** The live demo backend in the page: ask anything, ask for a person. */
export const DemoBackend: Story = {
  loaders: [async () => ({ client: createClient({ transport: createMemoryTransport({ latencyMs: 150 }), locale: 'zh-CN' }) })],
  play: async ({ loaded }) => void (await (loaded.client as XiaoerClient).start()),
};

export const BotAnswered: Story = { loaders: [() => ({ client: scripted([welcome, question, answer]) })] };

export const Queued: Story = {
  loaders: [() => ({ client: scripted([welcome, question, answer, routingFrame(4, { phase: 'queued', position: 3, etaSeconds: 360 })]) })],
};

export const AgentTyping: Story = {
  loaders: [
    () => ({
      client: scripted(
        [welcome, question, routingFrame(3, { phase: 'agent', agent: { id: 'a1', name: 'Lin Xiao' } }), messageFrame(4, { author: { role: 'agent', name: 'Lin Xiao' }, body: { kind: 'text', text: '您好，我来帮您查一下。' } })],
        (t) => t.receive({ v: 1, kind: 'signal', conversationId: 'conv_test', signal: { type: 'typing', on: true, by: { role: 'agent', name: 'Lin Xiao' } } }),
      ),
    }),
  ],
};

export const OfflineWithPendingMessage: Story = {
  loaders: [() => ({ client: scripted([welcome], (t, c) => { t.drop(4000); void c.sendText('网络断了还能发吗？'); }) })],
};

export const FailedMessage: Story = {
  loaders: [
    () => ({
      client: scripted([welcome], (t, c) => {
        void c.sendText('这条消息被拒绝了').then(({ id }) => t.receive({ v: 1, kind: 'nack', id, error: { code: 'refused', message: 'blocked', retryable: false } }));
      }),
    }),
  ],
};

export const LongUntrustedText: Story = {
  loaders: [
    () => ({
      client: scripted([
        welcome,
        messageFrame(2, { author: { role: 'agent', name: '<img src=x onerror=alert(1)>' }, body: { kind: 'text', text: `<script>alert(1)</script> ${'很长的文字'.repeat(800)} ${'x'.repeat(300)}` } }),
      ]),
    }),
  ],
};

export const ChatEnded: Story = {
  loaders: [() => ({ client: scripted([welcome, routingFrame(2, { phase: 'ended', agent: { id: 'a1', name: 'Lin Xiao' } })]) })],
};

export const OutsideServiceHours: Story = {
  loaders: [() => ({ client: scripted([welcome, routingFrame(2, { phase: 'offline', reason: 'closed-hours' })]) })],
};

// ---------------------------------------------------------------- commerce

type DemoOptions = NonNullable<Parameters<typeof demoClient>[0]>;
const logged = (script?: DemoOptions['script'], options: DemoOptions = {}) => demoClient({ ...options, ...(script ? { script } : {}) });

/** Order card, product card, a notice that opens the order, an FAQ answer with "Was this helpful?". */
export const RichMessages: Story = {
  loaders: [
    async () => ({
      client: await logged((b) => {
        b.push({ type: 'message.created', message: { id: 'm1', conversationId: 'conv_test', seq: 1, author: { role: 'bot' }, body: { kind: 'text', text: '退款多久到账？商家同意后 1–3 个工作日原路退回。', faqId: 'f2', suggestions: [{ label: '查看我的订单', action: 'open-orders' }, { label: '帮助中心', action: 'open-help' }] }, createdAt: Date.now() - 60_000 } });
        b.push({ type: 'message.created', message: { id: 'm2', conversationId: 'conv_test', seq: 2, author: { role: 'buyer' }, body: { kind: 'order-card', card: orderCard(makeOrder({ id: 'o_1002' })) }, createdAt: Date.now() - 50_000 } });
        b.push({ type: 'message.created', message: { id: 'm3', conversationId: 'conv_test', seq: 3, author: { role: 'agent', name: 'Lin Xiao' }, body: { kind: 'product-card', productId: 'p1', title: '亚麻衬衫 男款 白色', price: { amount: 19900, currency: 'CNY' }, url: 'https://shop.example/p/1' }, createdAt: Date.now() - 40_000 } });
        b.push({ type: 'message.created', message: { id: 'm4', conversationId: 'conv_test', seq: 4, author: { role: 'system' }, body: { kind: 'notice', text: '您的订单 o_1002 已签收。', ref: { type: 'order', id: 'o_1002' } }, createdAt: Date.now() - 30_000 } });
      }),
    }),
  ],
};

/** The agent session ended: the rating card in the conversation. */
export const RatingAfterSession: Story = {
  loaders: [async () => ({ client: await logged(undefined, { routing: { phase: 'ended', agent: { id: 'a1', name: 'Lin Xiao' }, sessionId: 's_1' } }) })],
};

/** "My orders" from the quick actions. */
export const MyOrdersView: Story = {
  loaders: [async () => ({ client: await logged() })],
  play: async ({ canvasElement }) => {
    const chat = canvasElement.querySelector('xiaoer-chat')!;
    await chat.updateComplete;
    chat.shadowRoot!.querySelector<HTMLButtonElement>('.quick-action')!.click();
  },
};

/** Outside service hours, "Talk to a person" opens the leave-a-message form. */
export const LeaveMessageView: Story = {
  loaders: [async () => ({ client: await logged(undefined, { agentsAvailable: false }) })],
  play: async ({ canvasElement }) => {
    const chat = canvasElement.querySelector('xiaoer-chat')!;
    await chat.updateComplete;
    [...chat.shadowRoot!.querySelectorAll<HTMLButtonElement>('.quick-action')].at(-1)!.click();
  },
};
