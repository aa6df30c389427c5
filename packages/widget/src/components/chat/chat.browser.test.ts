import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { html, render } from 'lit';
import { createClient, type XiaoerClient } from '@xiaoer/core';
import { CONVERSATION_ID, MockTransport, messageFrame, readyFrame, routingFrame } from '@xiaoer/core/test';
import type { Message, ServerFrame } from '@xiaoer/core';
import '../../define.js';
import type { XiaoerChat } from './chat.js';
import type { XiaoerMessageSendEvent } from '../../events/message-send.js';

let container: HTMLElement;

beforeEach(async () => {
  await page.viewport(1024, 768);
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
  document.documentElement.removeAttribute('lang');
});

/** A started client whose link is open and whose session is ready, driven through MockTransport. */
async function onlineClient() {
  const transport = new MockTransport();
  const client = createClient({ transport });
  await client.start();
  transport.open();
  transport.receive(readyFrame());
  return { transport, client };
}

async function mount(client: XiaoerClient | undefined, attrs: { lang?: string; locale?: string } = {}) {
  render(html`<xiaoer-chat .client=${client} lang=${attrs.lang ?? ''} locale=${attrs.locale ?? ''}></xiaoer-chat>`, container);
  const chat = container.querySelector('xiaoer-chat') as XiaoerChat;
  await chat.updateComplete;
  return chat;
}

async function setup(attrs: { lang?: string; locale?: string } = {}) {
  const { transport, client } = await onlineClient();
  const chat = await mount(client, attrs);
  return { transport, client, chat };
}

/** The focused element, looking through shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function echo(transport: MockTransport, seq: number, clientId: string, text: string) {
  transport.receive(messageFrame(seq, { clientId, author: { role: 'buyer' }, body: { kind: 'text', text } }));
}

function from(role: 'bot' | 'agent' | 'system', seq: number, text: string, extra: Partial<Message> = {}): ServerFrame {
  const author = role === 'agent' ? { role, name: 'Lin Xiao' } : { role };
  return messageFrame(seq, { author, body: { kind: 'text', text }, ...extra });
}

const launcher = (name = 'Open chat') => page.getByRole('button', { name, exact: true });
const dialog = () => page.getByRole('dialog', { name: 'Customer service' });
const composer = () => page.getByRole('textbox', { name: 'Message' });
const messages = () => page.getByRole('log', { name: 'Messages' });

async function openPanel() {
  await launcher('Open chat').click();
  await expect.element(dialog()).toBeVisible();
}

describe('<xiaoer-chat> launcher and panel', () => {
  it('opens and closes the dialog from the launcher, with aria-expanded, focus and events', async () => {
    const { chat } = await setup();
    const events: string[] = [];
    document.addEventListener('xiaoer-open', (e) => events.push(e.type));
    document.addEventListener('xiaoer-close', (e) => events.push(e.type));

    await expect.element(launcher('Open chat')).toHaveAttribute('aria-expanded', 'false');
    await expect.element(dialog()).not.toBeInTheDocument();

    await launcher('Open chat').click();
    await expect.element(dialog()).toBeVisible();
    await expect.element(launcher('Close chat')).toHaveAttribute('aria-expanded', 'true');
    expect(chat.open).toBe(true);
    expect(chat.hasAttribute('open')).toBe(true);
    // Focus moves to the composer.
    await expect.poll(deepActiveElement).toBe(composer().element());

    await launcher('Close chat').click();
    await expect.element(dialog()).not.toBeInTheDocument();
    await expect.element(launcher('Open chat')).toHaveAttribute('aria-expanded', 'false');
    expect(events).toEqual(['xiaoer-open', 'xiaoer-close']);
  });

  it('closes on Escape and returns focus to the launcher', async () => {
    await setup();
    await openPanel();
    await expect.poll(deepActiveElement).toBe(composer().element());
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog()).not.toBeInTheDocument();
    await expect.poll(deepActiveElement).toBe(launcher('Open chat').element());
  });

  it('closes from the minimize button and returns focus to the launcher', async () => {
    await setup();
    await openPanel();
    await page.getByRole('button', { name: 'Minimize chat' }).click();
    await expect.element(dialog()).not.toBeInTheDocument();
    await expect.poll(deepActiveElement).toBe(launcher('Open chat').element());
  });

  it('takes the whole screen on a phone, hiding the launcher behind it', async () => {
    await page.viewport(390, 700);
    await setup();
    await openPanel();
    const rect = () => {
      const r = dialog().element().getBoundingClientRect();
      return [r.left, r.top, r.width, r.height];
    };
    // Polled: the panel slides in.
    await expect.poll(rect).toEqual([0, 0, 390, 700]);
    await expect.element(launcher('Close chat')).not.toBeInTheDocument();
    await page.getByRole('button', { name: 'Minimize chat' }).click();
    await expect.element(launcher('Open chat')).toBeVisible();
  });

  it('show() and hide() resolve once the panel is rendered', async () => {
    const { chat } = await setup();
    await chat.show();
    expect(dialog().query()).not.toBeNull();
    await chat.hide();
    expect(dialog().query()).toBeNull();
  });
});

describe('<xiaoer-chat> sending', () => {
  it('sends on Enter: a command frame goes out, the row shows Sending… then Sent after the echo', async () => {
    const { transport, chat } = await setup();
    const sent: XiaoerMessageSendEvent[] = [];
    document.addEventListener('xiaoer-message-send', (e) => sent.push(e));
    await openPanel();

    await userEvent.type(composer(), 'Where is my parcel?{Enter}');
    await expect.poll(() => transport.commands().length).toBe(1);
    const command = transport.commands()[0]!;
    expect(command.command).toEqual({ type: 'message.send', body: { kind: 'text', text: 'Where is my parcel?' } });
    await expect.element(composer()).toHaveValue('');

    const row = messages().getByRole('listitem').filter({ hasText: 'Where is my parcel?' });
    await expect.element(row).toHaveTextContent('You');
    await expect.element(row).toHaveTextContent('Sending…');

    echo(transport, 1, command.id, 'Where is my parcel?');
    await expect.element(row).toHaveTextContent('Sent');
    await expect.element(row).not.toHaveTextContent('Sending…');
    expect(messages().getByRole('listitem').elements()).toHaveLength(1);

    expect(sent.map((e) => [e.detail, e.bubbles, e.composed, e.target])).toEqual([
      [{ id: command.id, text: 'Where is my parcel?' }, true, true, chat],
    ]);
  });

  it('sends from the Send button too', async () => {
    const { transport } = await setup();
    await openPanel();
    await composer().fill('hi there');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => transport.commands().map((c) => c.command)).toEqual([
      { type: 'message.send', body: { kind: 'text', text: 'hi there' } },
    ]);
    await expect.poll(deepActiveElement).toBe(composer().element());
  });

  it('inserts a newline on Shift+Enter instead of sending', async () => {
    const { transport } = await setup();
    await openPanel();
    await userEvent.type(composer(), 'line one{Shift>}{Enter}{/Shift}line two');
    await expect.element(composer()).toHaveValue('line one\nline two');
    expect(transport.commands()).toHaveLength(0);

    await userEvent.keyboard('{Enter}');
    await expect.poll(() => transport.commands().map((c) => c.command)).toEqual([
      { type: 'message.send', body: { kind: 'text', text: 'line one\nline two' } },
    ]);
  });

  it('never sends on the Enter that confirms an IME composition', async () => {
    const { transport } = await setup();
    await openPanel();
    await composer().fill('ni hao');
    const textarea = composer().element() as HTMLTextAreaElement;
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, composed: true, cancelable: true }));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, composed: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(transport.commands()).toHaveLength(0);
    await expect.element(composer()).toHaveValue('ni hao');
  });

  it('shows why an empty or too long message is refused, and keeps the draft', async () => {
    const { transport } = await setup();
    await openPanel();
    await userEvent.type(composer(), '   {Enter}');
    await expect.element(page.getByRole('alert')).toHaveTextContent('Type a message first.');
    await expect.element(composer()).toHaveAttribute('aria-invalid', 'true');

    const long = 'x'.repeat(20_001);
    await composer().fill(long);
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument(); // typing clears the error
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('alert')).toHaveTextContent('Messages can be at most 20,000 characters.');
    await expect.element(composer()).toHaveValue(long);
    expect(transport.commands()).toHaveLength(0);
  });

  it('tells the other side the buyer is typing', async () => {
    const { transport } = await setup();
    await openPanel();
    await userEvent.type(composer(), 'h');
    await expect.poll(() => transport.sent.filter((f) => f.kind === 'signal')).toEqual([
      { v: 1, kind: 'signal', signal: { type: 'typing', on: true } },
    ]);
  });

  it('offers Resend on a message that was not sent, and resends it under the same id', async () => {
    const { transport } = await setup();
    await openPanel();
    await userEvent.type(composer(), 'please refund{Enter}');
    await expect.poll(() => transport.commands().length).toBe(1);
    const id = transport.commands()[0]!.id;
    transport.receive({ v: 1, kind: 'nack', id, error: { code: 'refused', message: 'rate limited by rule', retryable: false } });

    const row = messages().getByRole('listitem').filter({ hasText: 'please refund' });
    await expect.element(row).toHaveTextContent('Not sent');
    await row.getByRole('button', { name: 'Resend' }).click();
    await expect.poll(() => transport.commands().map((c) => c.id)).toEqual([id, id]);
    await expect.element(row).toHaveTextContent('Sending…');
    await expect.element(row.getByRole('button', { name: 'Resend' })).not.toBeInTheDocument();
  });

  it('offers Delete beside Resend: the unsent message leaves the conversation and the outbox, and is never sent again', async () => {
    const { transport, client } = await setup();
    await openPanel();
    await userEvent.type(composer(), 'wrong chat{Enter}');
    await expect.poll(() => transport.commands().length).toBe(1);
    const id = transport.commands()[0]!.id;
    transport.receive({ v: 1, kind: 'nack', id, error: { code: 'refused', message: 'blocked', retryable: false } });
    const row = messages().getByRole('listitem').filter({ hasText: 'wrong chat' });
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect.element(row).not.toBeInTheDocument();
    expect(client.getSnapshot().outbox).toEqual([]);
    // Focus did not fall to the page with the row: it is on the message log.
    await expect.poll(() => document.querySelector('xiaoer-chat')!.shadowRoot!.activeElement?.getAttribute('role')).toBe('log');
    transport.drop();
    transport.open();
    transport.receive(readyFrame());
    expect(transport.commands().map((c) => c.id)).toEqual([id]);
  });
});

describe('<xiaoer-chat> rendering untrusted text', () => {
  it('renders markup in a message as literal text', async () => {
    const { transport } = await setup();
    await openPanel();
    const hostile = '<img src=x onerror="window.__xiaoerPwned=1"><script>window.__xiaoerPwned=2</script><b>bold</b>';
    transport.receive(from('agent', 1, hostile));
    const row = messages().getByRole('listitem').filter({ hasText: 'Lin Xiao' });
    await expect.element(row).toHaveTextContent(hostile);
    const root = (container.querySelector('xiaoer-chat') as XiaoerChat).shadowRoot!;
    expect(root.querySelectorAll('img, script, b')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect((window as { __xiaoerPwned?: number }).__xiaoerPwned).toBeUndefined();
  });

  it('makes http(s) and e-mail addresses clickable, and nothing else', async () => {
    const { transport } = await setup();
    await openPanel();
    transport.receive(from('agent', 1, 'Track: https://shop.example/t/SF1 or help@shop.example — not javascript:alert(1)'));
    const row = messages().getByRole('listitem').filter({ hasText: 'Lin Xiao' });
    await expect.element(row.getByRole('link', { name: 'https://shop.example/t/SF1' })).toHaveAttribute('href', 'https://shop.example/t/SF1');
    await expect.element(row.getByRole('link', { name: 'help@shop.example' })).toHaveAttribute('href', 'mailto:help@shop.example');
    await expect.element(row.getByRole('link', { name: 'https://shop.example/t/SF1' })).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    const links = (container.querySelector('xiaoer-chat') as XiaoerChat).shadowRoot!.querySelectorAll('a[href]');
    expect([...links].map((a) => a.getAttribute('href'))).toEqual(['https://shop.example/t/SF1', 'mailto:help@shop.example']);
  });

  it('clips a very long message with Show more, wraps long words, and expands on demand', async () => {
    const { transport } = await setup();
    await openPanel();
    const word = 'W'.repeat(5_000);
    transport.receive(from('bot', 1, word));
    const row = messages().getByRole('listitem').filter({ hasText: 'Xiaoer assistant' });
    const text = () => row.element().querySelector('[part~="message-text"]') as HTMLElement;
    await expect.element(row.getByRole('button', { name: 'Show more' })).toBeVisible();
    expect(text().textContent).toBe(`${'W'.repeat(2_000)}…`);
    expect(getComputedStyle(text()).overflowWrap).toBe('anywhere');
    // The unbroken word wraps inside the panel instead of widening it.
    const list = messages().element();
    expect(list.scrollWidth).toBeLessThanOrEqual(list.clientWidth);

    await row.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => text().textContent).toBe(word);
    await row.getByRole('button', { name: 'Show less' }).click();
    await expect.poll(() => text().textContent?.length).toBe(2_001);
  });

  it('does not cut a surrogate pair in half when clipping', async () => {
    const { transport } = await setup();
    await openPanel();
    transport.receive(from('bot', 1, `${'a'.repeat(1_999)}😀${'b'.repeat(100)}`));
    const text = () => messages().element().querySelector('[part~="message-text"]')?.textContent;
    await expect.poll(text).toBe(`${'a'.repeat(1_999)}…`);
  });
});

describe('<xiaoer-chat> who is answering', () => {
  it('shows the assistant, then the queue position, then the agent by name', async () => {
    const { transport } = await setup();
    await openPanel();
    await expect.element(dialog().getByRole('heading', { name: 'Xiaoer assistant' })).toBeVisible();

    await page.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.poll(() => transport.commands().map((c) => c.command)).toEqual([{ type: 'handoff.request' }]);
    transport.receive({ v: 1, kind: 'ack', id: transport.commands()[0]!.id });

    transport.receive(routingFrame(1, { phase: 'queued', position: 3, etaSeconds: 150 }));
    const queued = dialog().getByRole('heading', { name: 'In queue: position 3, about 3 min' });
    await expect.element(queued).toBeVisible();
    await expect.element(queued).toHaveAttribute('aria-live', 'polite');
    await expect.element(page.getByRole('button', { name: 'Talk to a person' })).not.toBeInTheDocument();

    transport.receive(routingFrame(2, { phase: 'agent', agent: { id: 'a_1', name: 'Lin Xiao' } }));
    await expect.element(dialog().getByRole('heading', { name: 'Lin Xiao' })).toBeVisible();
    await expect.element(page.getByText('In queue', { exact: false })).not.toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'Leave queue' })).not.toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'Talk to a person' })).not.toBeInTheDocument();

    transport.receive(routingFrame(3, { phase: 'ended', agent: { id: 'a_1', name: 'Lin Xiao' } }));
    await expect.element(dialog().getByRole('heading', { name: 'Chat ended' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Talk to a person' })).toBeVisible();

    transport.receive(routingFrame(4, { phase: 'offline', reason: 'no-agent' }));
    await expect.element(dialog().getByRole('heading', { name: 'No agent available — leave a message' })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Talk to a person' })).toBeVisible();
  });

  it('leaves the queue, and does not offer a second request while one is pending', async () => {
    const { transport } = await setup();
    await openPanel();
    await page.getByRole('button', { name: 'Talk to a person' }).click();
    await expect.element(page.getByRole('button', { name: 'Talk to a person' })).toBeDisabled();
    transport.receive({ v: 1, kind: 'ack', id: transport.commands()[0]!.id });
    await expect.element(page.getByRole('button', { name: 'Talk to a person' })).toBeEnabled();

    transport.receive(routingFrame(1, { phase: 'queued', position: 1, etaSeconds: 0 }));
    await expect.element(dialog().getByRole('heading', { name: 'In queue: position 1, about 1 min' })).toBeVisible();
    await page.getByRole('button', { name: 'Leave queue' }).click();
    await expect.poll(() => transport.commands().map((c) => c.command.type)).toEqual(['handoff.request', 'handoff.cancel']);
  });
});

describe('<xiaoer-chat> connection, typing, unread', () => {
  const banner = () => page.getByRole('status').filter({ hasText: /Offline|Reconnecting/ });

  it('shows an offline banner when the link drops, Reconnecting… while it comes back, nothing once online', async () => {
    const { transport } = await setup();
    await openPanel();
    await expect.element(banner()).not.toBeInTheDocument();

    transport.drop(1_000);
    await expect.element(page.getByRole('status').filter({ hasText: 'Offline — messages will be sent when you reconnect' })).toBeVisible();

    transport.emit({ type: 'status', status: 'connecting', attempt: 1 });
    await expect.element(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();

    transport.open();
    transport.receive(readyFrame());
    await expect.element(banner()).not.toBeInTheDocument();
  });

  it('says nothing about reconnecting while a client connects for the first time', async () => {
    const transport = new MockTransport();
    const client = createClient({ transport });
    await client.start();
    await mount(client);
    await openPanel();
    transport.emit({ type: 'status', status: 'connecting', attempt: 0 });
    await expect.poll(() => client.getSnapshot().connection.status).toBe('connecting');
    await new Promise((r) => setTimeout(r, 20));
    await expect.element(banner()).not.toBeInTheDocument();
  });

  it('shows who is typing', async () => {
    const { transport } = await setup();
    await openPanel();
    const signal = (on: boolean): ServerFrame => ({
      v: 1,
      kind: 'signal',
      conversationId: CONVERSATION_ID,
      signal: { type: 'typing', on, by: { role: 'agent', name: 'Lin Xiao' } },
    });
    transport.receive(signal(true));
    await expect.element(page.getByRole('status').filter({ hasText: 'Lin Xiao is typing…' })).toBeVisible();
    transport.receive(signal(false));
    await expect.element(page.getByText('Lin Xiao is typing…')).not.toBeInTheDocument();
  });

  it('counts messages from the other side that arrive while the panel is closed', async () => {
    const { transport } = await setup();
    expect(page.getByText('unread', { exact: false }).query()).toBeNull();

    transport.receive(from('bot', 1, 'hello'));
    transport.receive(from('agent', 2, 'I am Lin Xiao'));
    transport.receive(messageFrame(3, { author: { role: 'buyer' }, body: { kind: 'text', text: 'mine' } }));
    transport.receive(messageFrame(4, { author: { role: 'system' }, body: { kind: 'notice', text: 'Order shipped' } }));
    await expect.element(page.getByText('3 unread')).toBeInTheDocument();
    await expect.element(launcher('Open chat')).toHaveAccessibleDescription('3 unread');

    await openPanel();
    await expect.element(page.getByText('3 unread')).not.toBeInTheDocument();
    transport.receive(from('bot', 5, 'while open'));
    await launcher('Close chat').click();
    await expect.element(page.getByText('unread', { exact: false })).not.toBeInTheDocument();

    transport.receive(from('bot', 6, 'after closing'));
    await expect.element(page.getByText('1 unread')).toBeInTheDocument();
  });

  it('scrolls to the newest message when one arrives', async () => {
    const { transport } = await setup();
    await openPanel();
    for (let seq = 1; seq <= 40; seq++) transport.receive(from('bot', seq, `answer number ${seq}`));
    await expect.element(page.getByText('answer number 40')).toBeInViewport();
    const list = messages().element();
    expect(list.scrollHeight).toBeGreaterThan(list.clientHeight);
    transport.receive(from('bot', 41, 'the newest one'));
    await expect.element(page.getByText('the newest one')).toBeInViewport();
    await expect.poll(() => list.scrollHeight - list.scrollTop - list.clientHeight).toBeLessThan(2);
  });
});

describe('<xiaoer-chat> suggestions', () => {
  it('sends a send-text chip and asks for a person from a handoff chip', async () => {
    const { transport } = await setup();
    await openPanel();
    transport.receive(
      messageFrame(1, {
        author: { role: 'bot' },
        body: {
          kind: 'text',
          text: 'How can I help?',
          suggestions: [
            { label: 'Track my parcel', action: 'send-text', text: 'Where is my parcel?' },
            { label: 'Refund', action: 'send-text' },
            { label: 'A human, please', action: 'handoff' },
          ],
        },
      }),
    );
    await page.getByRole('button', { name: 'Track my parcel' }).click();
    await expect.poll(() => transport.commands().map((c) => c.command)).toEqual([
      { type: 'message.send', body: { kind: 'text', text: 'Where is my parcel?' } },
    ]);
    // The chips belong to the newest answer only.
    await expect.element(page.getByRole('button', { name: 'Refund', exact: true })).not.toBeInTheDocument();

    transport.receive({ v: 1, kind: 'ack', id: transport.commands()[0]!.id });
    echo(transport, 2, transport.commands()[0]!.id, 'Where is my parcel?');
    transport.receive(
      messageFrame(3, {
        author: { role: 'bot' },
        body: { kind: 'text', text: 'Anything else?', suggestions: [{ label: 'Refund', action: 'send-text' }, { label: 'A human, please', action: 'handoff' }] },
      }),
    );
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect.poll(() => transport.commands().map((c) => c.command)).toContainEqual({ type: 'message.send', body: { kind: 'text', text: 'Refund' } });
  });

  it('asks for a person from a handoff chip', async () => {
    const { transport } = await setup();
    await openPanel();
    transport.receive(
      messageFrame(1, { author: { role: 'bot' }, body: { kind: 'text', text: 'Not sure.', suggestions: [{ label: 'A human, please', action: 'handoff' }] } }),
    );
    await page.getByRole('button', { name: 'A human, please' }).click();
    await expect.poll(() => transport.commands().map((c) => c.command)).toEqual([{ type: 'handoff.request' }]);
  });
});

describe('<xiaoer-chat> locales', () => {
  it('speaks Simplified Chinese with lang="zh-CN"', async () => {
    const { transport } = await setup({ lang: 'zh-CN' });
    await page.getByRole('button', { name: '打开客服', exact: true }).click();
    const panel = page.getByRole('dialog', { name: '客服' });
    await expect.element(panel).toBeVisible();
    await expect.element(page.getByRole('button', { name: '关闭客服', exact: true })).toBeVisible();
    await expect.element(panel.getByRole('heading', { name: '小二助手' })).toBeVisible();
    await expect.element(panel.getByRole('log', { name: '消息' })).toBeInTheDocument();
    await expect.element(panel.getByRole('button', { name: '转人工' })).toBeVisible();
    await expect.element(panel.getByRole('button', { name: '发送', exact: true })).toBeVisible();
    await userEvent.type(panel.getByRole('textbox', { name: '输入消息' }), '我的快递到哪了{Enter}');
    await expect.element(panel.getByText('发送中…')).toBeVisible();

    transport.receive(routingFrame(1, { phase: 'queued', position: 2, etaSeconds: 60 }));
    await expect.element(panel.getByRole('heading', { name: '排队中：第 2 位，约 1 分钟' })).toBeVisible();
    await expect.element(panel.getByRole('button', { name: '退出排队' })).toBeVisible();
    transport.drop();
    await expect.element(panel.getByRole('status').filter({ hasText: '网络已断开，恢复连接后将自动发送' })).toBeVisible();
  });

  it('follows <html lang> by default, live, and lets the locale property override it', async () => {
    document.documentElement.lang = 'zh';
    const { chat } = await setup();
    await expect.element(page.getByRole('button', { name: '打开客服', exact: true })).toBeVisible();
    document.documentElement.lang = 'en-GB';
    await expect.element(launcher('Open chat')).toBeVisible();
    chat.locale = 'zh-Hans-CN';
    await expect.element(page.getByRole('button', { name: '打开客服', exact: true })).toBeVisible();
  });
});

/** Stands in for the browser's WebSocket, so the element's own client can be driven without a network. */
class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  readonly sent: unknown[] = [];
  closed = false;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  /** Plays the server accepting the connection. */
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverSends(frame: ServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

describe("<xiaoer-chat server>: the element's own client", () => {
  const namespace = `test-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('creates a client on the server URL, starts it while connected and stops it when removed', async () => {
    const chat = document.createElement('xiaoer-chat');
    chat.server = 'wss://shop.example/xiaoer/ws';
    chat.namespace = namespace;
    chat.setAttribute('lang', 'zh-CN');
    container.append(chat);
    await expect.poll(() => FakeWebSocket.instances.length).toBe(1);
    const socket = FakeWebSocket.instances[0]!;
    expect(socket.url).toBe('wss://shop.example/xiaoer/ws');
    expect(chat.client).toBeDefined();

    socket.accept();
    expect(socket.sent[0]).toMatchObject({ kind: 'session.start', locale: 'zh-CN' });
    socket.serverSends(readyFrame());
    socket.serverSends(from('bot', 1, '您好，我是店小二'));
    await page.getByRole('button', { name: '打开客服' }).click();
    await expect.element(page.getByText('您好，我是店小二')).toBeVisible();

    chat.remove();
    expect(socket.closed).toBe(true);
    expect(chat.client?.getSnapshot().connection.status).toBe('idle');

    container.append(chat); // moved back: the same client starts again
    await expect.poll(() => FakeWebSocket.instances.length).toBe(2);
  });

  it('drops its own client when given one, and makes none from a URL that is not ws(s)', async () => {
    const chat = document.createElement('xiaoer-chat');
    chat.server = 'wss://shop.example/xiaoer/ws';
    chat.namespace = namespace;
    container.append(chat);
    await expect.poll(() => FakeWebSocket.instances.length).toBe(1);
    const own = chat.client!;

    const { client } = await onlineClient();
    chat.client = client;
    await chat.updateComplete;
    expect(chat.client).toBe(client);
    expect(FakeWebSocket.instances[0]!.closed).toBe(true);
    expect(own.getSnapshot().connection.status).toBe('idle');

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const other = document.createElement('xiaoer-chat');
    other.server = 'https://shop.example/xiaoer/ws';
    container.append(other);
    await other.updateComplete;
    expect(other.client).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    expect(FakeWebSocket.instances).toHaveLength(1);
    warn.mockRestore();
  });

  it("leaves the guest tabs' shared link for the buyer's own when `buyer` is set (sign-in without reload)", async () => {
    // Two elements of one page share Web Locks and BroadcastChannel the way two tabs do.
    const openTab = () => {
      const chat = document.createElement('xiaoer-chat');
      chat.server = 'wss://shop.example/xiaoer/ws';
      chat.namespace = namespace;
      container.append(chat);
      return chat;
    };
    const sessionStarts = (socket: FakeWebSocket) => socket.sent.filter((f) => (f as { kind: string }).kind === 'session.start') as { visitor: { buyer?: { id: string } } }[];
    const guest = openTab();
    await expect.poll(() => FakeWebSocket.instances.length).toBe(1);
    const guestLink = FakeWebSocket.instances[0]!;
    const tab = openTab();
    guestLink.accept();
    // The second tab follows: its session starts on the first tab's link.
    await expect.poll(() => sessionStarts(guestLink).length).toBe(2);
    guestLink.serverSends(readyFrame());
    await expect.poll(() => tab.client?.getSnapshot().connection.status).toBe('online');

    tab.buyer = { id: 'b_signed_in', name: '王小明', expires: 1900000000000, signature: 'a'.repeat(64) };
    // The signed-in tab leads a group of its own and opens its own link: its session carries the buyer.
    await expect.poll(() => FakeWebSocket.instances.length).toBe(2);
    const buyerLink = FakeWebSocket.instances[1]!;
    buyerLink.accept();
    await expect.poll(() => sessionStarts(buyerLink)[0]?.visitor.buyer?.id).toBe('b_signed_in');
    buyerLink.serverSends(readyFrame());
    buyerLink.serverSends(from('bot', 1, 'for the signed-in buyer'));
    await expect.poll(() => tab.client?.getSnapshot().messages.map((m) => m.body.kind === 'text' && m.body.text)).toEqual(['for the signed-in buyer']);
    // The guests' link never carried the buyer's session, and still serves the guest tab.
    expect(sessionStarts(guestLink).filter((s) => s.visitor.buyer)).toEqual([]);
    expect(guestLink.closed).toBe(false);
    expect(guest.client?.getSnapshot().connection.status).toBe('online');
  });
});

describe('<xiaoer-chat> client ownership and CSP', () => {
  it('renders a given client, wins over server, and never starts or stops it', async () => {
    const { transport, client } = await onlineClient();
    render(html`<xiaoer-chat server="ws://127.0.0.1:9/unused" .client=${client}></xiaoer-chat>`, container);
    const chat = container.querySelector('xiaoer-chat')!;
    expect(chat.client).toBe(client);
    render(null, container);
    expect(transport.connected).toBe(true);
  });

  it('follows a client swapped at runtime', async () => {
    const first = await onlineClient();
    const second = await onlineClient();
    const chat = await mount(first.client);
    first.transport.receive(from('bot', 1, 'from the first client'));
    await openPanel();
    await expect.element(page.getByText('from the first client')).toBeVisible();
    chat.client = second.client;
    await expect.element(page.getByText('from the first client')).not.toBeInTheDocument();
    second.transport.receive(from('bot', 1, 'from the second client'));
    await expect.element(page.getByText('from the second client')).toBeVisible();
    first.transport.receive(from('bot', 2, 'late news from the first'));
    await new Promise((r) => setTimeout(r, 20));
    expect(page.getByText('late news from the first').query()).toBeNull();
  });

  it('styles itself through adopted style sheets only: no <style> elements or style attributes', async () => {
    const { transport } = await setup();
    await openPanel();
    transport.receive(from('agent', 1, 'hello'));
    await expect.element(page.getByText('hello')).toBeVisible();
    const root = (container.querySelector('xiaoer-chat') as XiaoerChat).shadowRoot!;
    expect(root.adoptedStyleSheets.length).toBeGreaterThan(0);
    expect(root.querySelectorAll('style, [style], link')).toHaveLength(0);
  });

  it('is not restyled by hostile page CSS', async () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('body { line-height: 9; text-transform: uppercase; letter-spacing: 20px; font-size: 40px } button { display: none !important }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      await setup();
      const button = launcher('Open chat').element();
      await expect.element(launcher('Open chat')).toBeVisible();
      const style = getComputedStyle(button);
      expect(style.position).toBe('fixed');
      expect(style.textTransform).toBe('none');
      expect(style.letterSpacing).toBe('normal');
      expect(getComputedStyle(container.querySelector('xiaoer-chat')!).fontSize).toBe('14px');
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });

  it('keeps its look when the page resets every element with `* { all: unset !important }`', async () => {
    await setup();
    await openPanel();
    const root = (container.querySelector('xiaoer-chat') as XiaoerChat).shadowRoot!;
    const look = () =>
      ['launcher', 'panel', 'input', 'send-button'].map((part) => {
        const element = root.querySelector(`[part~="${part}"]`)!;
        const { width, height } = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        return { part, width, height, font: style.font, letterSpacing: style.letterSpacing, textTransform: style.textTransform, boxSizing: style.boxSizing };
      });
    const before = look();
    const sheet = new CSSStyleSheet();
    // `!important` in the page beats any :host rule, so this reaches the host element itself.
    sheet.replaceSync('* { all: unset !important; box-sizing: content-box !important; font: 40px/5 serif !important; letter-spacing: 9px !important; text-transform: uppercase !important }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      expect(getComputedStyle(container.querySelector('xiaoer-chat')!).letterSpacing).toBe('9px'); // the host really is hit
      expect(look()).toEqual(before);
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });
});

describe('<xiaoer-chat> colour scheme', () => {
  const panelBackground = (chat: XiaoerChat) => getComputedStyle(chat.shadowRoot!.querySelector('[part~="panel"]')!).backgroundColor;

  it('switches to the dark scheme with theme="dark" and back with theme="light"', async () => {
    const { chat } = await setup();
    await openPanel();
    chat.theme = 'light';
    await chat.updateComplete;
    expect(panelBackground(chat)).toBe('rgb(255, 255, 255)');
    chat.theme = 'dark';
    await chat.updateComplete;
    expect(chat.getAttribute('theme')).toBe('dark');
    expect(panelBackground(chat)).toBe('rgb(24, 24, 27)');
  });

  it("lets the shop's own token on the element win over the dark scheme", async () => {
    const { chat } = await setup();
    await openPanel();
    chat.theme = 'dark';
    chat.style.setProperty('--xiaoer-color-surface', 'rgb(1, 2, 3)');
    await chat.updateComplete;
    expect(panelBackground(chat)).toBe('rgb(1, 2, 3)');
  });
});
