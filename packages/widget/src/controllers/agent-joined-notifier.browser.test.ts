import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { html, render } from 'lit';
import { createClient } from '@xiaoer/core';
import { MockTransport, readyFrame, routingFrame } from '@xiaoer/core/test';
import '../define.js';
import type { XiaoerChat } from '../components/chat/chat.js';

/** A stand-in for the browser's Notification, recording what the widget shows and asks. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: { title: string; options?: NotificationOptions }[] = [];
  static asked = 0;
  static async requestPermission(): Promise<NotificationPermission> {
    FakeNotification.asked++;
    return FakeNotification.permission;
  }
  constructor(title: string, options?: NotificationOptions) {
    FakeNotification.shown.push({ title, ...(options ? { options } : {}) });
  }
}

const realNotification = Object.getOwnPropertyDescriptor(window, 'Notification');
let container: HTMLElement;

beforeEach(() => {
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  FakeNotification.asked = 0;
  Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true, writable: true });
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
  if (realNotification) Object.defineProperty(window, 'Notification', realNotification);
});

async function setup() {
  const transport = new MockTransport();
  const client = createClient({ transport });
  await client.start();
  transport.open();
  transport.receive(readyFrame());
  render(html`<xiaoer-chat .client=${client} locale="en"></xiaoer-chat>`, container);
  const chat = container.querySelector('xiaoer-chat') as XiaoerChat;
  await chat.updateComplete;
  return { transport, chat };
}

/** The buyer waits in the queue, then an agent picks up (a moment later, as on a real link). */
const agentPicksUp = async (transport: MockTransport) => {
  transport.receive(routingFrame(1, { phase: 'queued', position: 1, etaSeconds: 60 }));
  await new Promise((r) => setTimeout(r, 10));
  transport.receive(routingFrame(2, { phase: 'agent', agent: { id: 'a1', name: 'Lin Xiao' }, sessionId: 's1' }));
};

describe('agent pick-up notification', () => {
  it('notifies through the Notification API when an agent picks up while the panel is closed', async () => {
    const { transport } = await setup();
    await agentPicksUp(transport);
    await expect.poll(() => FakeNotification.shown.map((n) => n.title)).toEqual(['Lin Xiao joined your chat']);
    expect(FakeNotification.shown[0]?.options?.tag).toBe('xiaoer-agent-joined');
  });

  it('does not notify while the buyer is looking at the chat, nor without permission', async () => {
    const { transport, chat } = await setup();
    chat.open = true;
    await chat.updateComplete;
    await agentPicksUp(transport);
    await new Promise((r) => setTimeout(r, 50));
    expect(FakeNotification.shown).toEqual([]);

    const second = await setup();
    FakeNotification.permission = 'denied';
    await agentPicksUp(second.transport);
    await new Promise((r) => setTimeout(r, 50));
    expect(FakeNotification.shown).toEqual([]);
  });

  it('asks for permission when the buyer asks for a person, not before', async () => {
    FakeNotification.permission = 'default';
    const { chat } = await setup();
    chat.open = true;
    await chat.updateComplete;
    expect(FakeNotification.asked).toBe(0);
    await page.getByRole('list', { name: 'Quick actions' }).getByRole('button', { name: 'Talk to a person' }).click();
    expect(FakeNotification.asked).toBe(1);
  });
});
