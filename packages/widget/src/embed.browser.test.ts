import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import type { XiaoerChat } from './components/chat/chat.js';

class FakeWebSocket {
  static urls: string[] = [];
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.urls.push(url);
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  /** Plays the server accepting the connection. */
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverSends(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

beforeAll(async () => {
  // The element's own client dials a WebSocket: keep it off the network.
  vi.stubGlobal('WebSocket', FakeWebSocket);
  // What dist/xiaoer.js does, with the widget module imported from source (loader/entry.ts imports it by URL).
  const { installLoader } = await import('./loader/loader.js');
  installLoader(null, () => import('./embed.js'), 200);
});
afterAll(() => {
  document.querySelectorAll('xiaoer-chat').forEach((e) => e.remove());
  vi.unstubAllGlobals();
});

describe('the script-tag build (loader and widget)', () => {
  it('defines one global and adds one widget talking to /xiaoer/ws on this host', async () => {
    expect(window.Xiaoer).toBeDefined();
    expect(Object.keys(window.Xiaoer!).sort()).toEqual(['client', 'close', 'identify', 'init', 'on', 'open', 'sendOrderCard']);
    // The loader imports the widget when the page is idle.
    await expect.poll(() => document.querySelectorAll('xiaoer-chat').length, { timeout: 15_000 }).toBe(1);
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

const SIGNATURE = 'a'.repeat(64);

describe('buyer identity', () => {
  it('sends the data-buyer-* identity in the hello frame, and a new one after identify()', async () => {
    const { createXiaoerGlobal } = await import('./embed.js');
    const script = document.createElement('script');
    Object.assign(script.dataset, {
      manual: '',
      server: 'wss://identity.example/ws',
      namespace: `identity-${Math.random().toString(36).slice(2)}`,
      buyerId: 'b_42',
      buyerName: 'Zhang San',
      buyerExpires: '1900000000000',
      buyerSignature: SIGNATURE,
    });
    const xiaoer = createXiaoerGlobal(script);
    const container = document.createElement('div');
    document.body.append(container);
    const before = FakeWebSocket.instances.length;
    const chat = xiaoer.init({ container });
    expect(chat.buyer).toEqual({ id: 'b_42', name: 'Zhang San', expires: 1900000000000, signature: SIGNATURE });

    await expect.poll(() => FakeWebSocket.instances.length).toBe(before + 1);
    const first = FakeWebSocket.instances.at(-1)!;
    first.accept();
    await expect.poll(() => first.sent[0]).toMatchObject({
      kind: 'session.start',
      visitor: { buyer: { id: 'b_42', name: 'Zhang San', expires: 1900000000000, signature: SIGNATURE } },
    });
    first.serverSends({ v: 1, kind: 'session.ready', conversationId: 'c_1', visitorId: 'v_1', lastSeq: 0, routing: { phase: 'bot' }, buyer: { id: 'b_42' } });
    await expect.poll(() => xiaoer.client?.getSnapshot().buyer).toEqual({ id: 'b_42' });

    // Xiaoer.sendOrderCard goes through the client.
    const receipt = await xiaoer.sendOrderCard('o_9');
    await expect.poll(() => first.sent.find((f) => f.kind === 'command')).toMatchObject({
      kind: 'command',
      id: receipt.id,
      command: { type: 'message.send', body: { kind: 'order-card', orderId: 'o_9' } },
    });

    // A renewed identity reconnects, and the next hello carries it.
    xiaoer.identify({ id: 'b_42', expires: 1900000999999, signature: 'b'.repeat(64) });
    await expect.poll(() => FakeWebSocket.instances.length).toBe(before + 2);
    const second = FakeWebSocket.instances.at(-1)!;
    second.accept();
    await expect.poll(() => second.sent[0]).toMatchObject({
      kind: 'session.start',
      visitor: { buyer: { id: 'b_42', expires: 1900000999999, signature: 'b'.repeat(64) } },
    });

    // Logging out: no buyer at all.
    xiaoer.identify(undefined);
    await expect.poll(() => FakeWebSocket.instances.length).toBe(before + 3);
    const third = FakeWebSocket.instances.at(-1)!;
    third.accept();
    await expect.poll(() => third.sent[0]).toMatchObject({ kind: 'session.start' });
    expect((third.sent[0] as { visitor: object }).visitor).not.toHaveProperty('buyer');
    container.remove();
  });

  it('renews an expiring signature from data-identity-url on the open link', async () => {
    const { createXiaoerGlobal } = await import('./embed.js');
    const renewed = { id: 'b_42', name: 'Zhang San', expires: 1900000999999, signature: 'c'.repeat(64) };
    const script = document.createElement('script');
    Object.assign(script.dataset, {
      manual: '',
      server: 'wss://renew.example/ws',
      namespace: `renew-${Math.random().toString(36).slice(2)}`,
      buyerId: 'b_42',
      buyerExpires: '1900000000000',
      buyerSignature: SIGNATURE,
      // The shop's "sign me again" endpoint; a data: URL stands in for it.
      identityUrl: `data:application/json,${encodeURIComponent(JSON.stringify(renewed))}`,
    });
    const xiaoer = createXiaoerGlobal(script);
    const container = document.createElement('div');
    document.body.append(container);
    const before = FakeWebSocket.instances.length;
    xiaoer.init({ container });
    await expect.poll(() => FakeWebSocket.instances.length).toBe(before + 1);
    const socket = FakeWebSocket.instances.at(-1)!;
    socket.accept();
    await expect.poll(() => socket.sent.length).toBe(1);
    socket.serverSends({ v: 1, kind: 'session.ready', conversationId: 'c_1', visitorId: 'v_1', lastSeq: 0, routing: { phase: 'bot' }, buyer: { id: 'b_42' } });

    socket.serverSends({ v: 1, kind: 'identity.expiring', expires: 1900000000000 });
    // The renewed identity goes out on the same socket: no reconnect, nothing dropped.
    await expect.poll(() => socket.sent.filter((f) => f.kind === 'session.start').at(-1), { timeout: 5_000 }).toMatchObject({
      visitor: { buyer: renewed },
    });
    expect(FakeWebSocket.instances.length).toBe(before + 1);
    container.remove();
  });

  it('shares one connection across tabs unless the tag says data-share-tabs="false"', async () => {
    const { createXiaoerGlobal } = await import('./embed.js');
    const container = document.createElement('div');
    document.body.append(container);
    const tag = (data: Record<string, string>) => {
      const script = document.createElement('script');
      Object.assign(script.dataset, { manual: '', server: 'wss://tabs.example/ws', namespace: `tabs-${Math.random().toString(36).slice(2)}`, ...data });
      return script;
    };
    expect(createXiaoerGlobal(tag({})).init({ container }).shareTabs).toBe(true);
    expect(createXiaoerGlobal(tag({ shareTabs: 'false' })).init({ container }).shareTabs).toBe(false);
    expect(createXiaoerGlobal(tag({})).init({ container, shareTabs: false }).shareTabs).toBe(false);
    container.remove();
  });

  it('accepts only a well-formed identity from the identity URL', async () => {
    const { fetchIdentity } = await import('./embed.js');
    const url = (body: unknown) => `data:application/json,${encodeURIComponent(JSON.stringify(body))}`;
    const good = { id: 'b_1', expires: 1900000000000, signature: 'd'.repeat(64) };
    await expect(fetchIdentity(url(good))).resolves.toEqual(good);
    await expect(fetchIdentity(url({ ...good, signature: 'not-hex' }))).resolves.toBeUndefined();
    await expect(fetchIdentity(url({ ...good, expires: '1900000000000' }))).resolves.toBeUndefined();
    await expect(fetchIdentity(url(null))).resolves.toBeUndefined();
  });

  it('takes the identity from init({ buyer }), ignores an incomplete tag, and refuses sendOrderCard before init', async () => {
    const { createXiaoerGlobal } = await import('./embed.js');
    const script = document.createElement('script');
    Object.assign(script.dataset, { manual: '', server: 'wss://identity.example/ws', buyerId: 'b_1', buyerExpires: 'soon' });
    const xiaoer = createXiaoerGlobal(script);
    await expect(xiaoer.sendOrderCard('o_1')).rejects.toThrow('before init()');
    const container = document.createElement('div');
    document.body.append(container);
    const before = FakeWebSocket.instances.length;
    const withoutBuyer = createXiaoerGlobal(script).init({ container });
    expect(withoutBuyer.buyer).toBeUndefined();
    const buyer = { id: 'b_7', expires: 1900000000000, signature: SIGNATURE };
    const chat = xiaoer.init({ container, buyer, namespace: 'init-buyer' });
    expect(chat.buyer).toEqual(buyer);
    await expect.poll(() => FakeWebSocket.instances.length).toBe(before + 2);
    const socket = FakeWebSocket.instances.at(-1)!;
    socket.accept();
    await expect.poll(() => socket.sent[0]).toMatchObject({ kind: 'session.start', visitor: { buyer } });
    container.remove();
  });
});
