import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import type { XiaoerChat } from './components/chat/chat.js';

class FakeWebSocket {
  static urls: string[] = [];
  readyState = 0;
  onopen = null;
  onclose = null;
  onerror = null;
  onmessage = null;
  constructor(url: string) {
    FakeWebSocket.urls.push(url);
  }
  send() {}
  close() {}
}

beforeAll(async () => {
  // The element's own client dials a WebSocket: keep it off the network.
  vi.stubGlobal('WebSocket', FakeWebSocket);
  await import('./embed.js');
});
afterAll(() => {
  document.querySelectorAll('xiaoer-chat').forEach((e) => e.remove());
  vi.unstubAllGlobals();
});

describe('the script-tag build', () => {
  it('defines one global and adds one widget talking to /xiaoer/ws on this host', async () => {
    expect(window.Xiaoer).toBeDefined();
    expect(Object.keys(window.Xiaoer!).sort()).toEqual(['client', 'close', 'init', 'on', 'open']);
    await expect.poll(() => document.querySelectorAll('xiaoer-chat').length).toBe(1);
    const chat = document.querySelector('xiaoer-chat')!;
    expect(chat.parentElement).toBe(document.body);
    expect(chat.server).toBe(`ws://${location.host}/xiaoer/ws`);
    expect(window.Xiaoer!.client).toBe(chat.client);
    await expect.poll(() => FakeWebSocket.urls).toEqual([`ws://${location.host}/xiaoer/ws`]);
    expect(window.Xiaoer!.init()).toBe(chat);
  });

  it('opens and closes the panel, and reports widget and client events', async () => {
    const xiaoer = window.Xiaoer!;
    const seen: string[] = [];
    const offOpen = xiaoer.on('open', (e) => seen.push(e.type));
    xiaoer.on('close', (e) => seen.push(e.type));
    xiaoer.on('connection:changed', (c) => seen.push(`connection:${c.status}`));

    xiaoer.open();
    await expect.element(page.getByRole('dialog', { name: 'Customer service' })).toBeVisible();
    xiaoer.close();
    await expect.element(page.getByRole('dialog', { name: 'Customer service' })).not.toBeInTheDocument();
    offOpen();
    xiaoer.open();
    await expect.element(page.getByRole('dialog', { name: 'Customer service' })).toBeVisible();
    xiaoer.client!.stop();
    await expect.poll(() => seen).toEqual(['xiaoer-open', 'xiaoer-close', 'connection:idle']);
  });
});

describe('Xiaoer.init() with data-manual', () => {
  it('adds nothing until init(), applies the config, and delivers listeners added before it', async () => {
    const { createXiaoerGlobal } = await import('./embed.js');
    const dialed = FakeWebSocket.urls.length;
    const script = document.createElement('script');
    script.dataset.manual = '';
    script.dataset.server = 'wss://shop.example/xiaoer/ws';
    script.dataset.locale = 'zh-CN';
    script.dataset.namespace = 'manual-test';
    const xiaoer = createXiaoerGlobal(script);
    const container = document.createElement('div');
    document.body.append(container);

    const opened: Event[] = [];
    xiaoer.on('open', (e) => opened.push(e));
    xiaoer.open();
    expect(xiaoer.client).toBeUndefined();

    const chat: XiaoerChat = xiaoer.init({ container, server: 'wss://other.example/ws' });
    expect(chat.parentElement).toBe(container);
    expect(chat.server).toBe('wss://other.example/ws');
    expect(chat.namespace).toBe('manual-test');
    expect(chat.locale).toBe('zh-CN');
    expect(chat.open).toBe(true); // open() before init() is kept
    await expect.element(page.getByRole('dialog', { name: '客服' })).toBeVisible();
    await expect.poll(() => FakeWebSocket.urls.slice(dialed)).toEqual(['wss://other.example/ws']);

    xiaoer.close();
    xiaoer.open();
    await expect.poll(() => opened.length).toBe(1);
    container.remove();
  });
});
