import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { createClient, selectTimeline, type XiaoerClient, type XiaoerError } from '@xiaoer/core';
import { SupportBackend } from '../memory/backend.js';
import { createWebSocketTransport, type WebSocketConstructor } from './websocket-transport.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A real WebSocket server on 127.0.0.1 running the support backend. */
async function backendServer(backend = new SupportBackend(), port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    const conn = backend.connectBuyer((f) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f)));
    ws.on('message', (d) => conn.receive(d.toString()));
    ws.on('close', () => conn.close());
  });
  const close = () => new Promise<void>((r) => {
    for (const ws of wss.clients) ws.terminate();
    wss.close(() => r());
  });
  cleanups.push(close);
  return { wss, backend, port: (wss.address() as AddressInfo).port, close };
}

function client(port: number, extra: Partial<Parameters<typeof createWebSocketTransport>[0]> = {}): XiaoerClient {
  const transport = createWebSocketTransport({
    url: `ws://127.0.0.1:${port}`,
    WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
    backoff: { baseMs: 20, maxMs: 100 },
    ...extra,
  });
  const c = createClient({ transport });
  cleanups.push(() => c.stop());
  return c;
}

const texts = (c: XiaoerClient) => selectTimeline(c.getSnapshot()).map((i) => ('text' in i.body ? i.body.text : ''));

describe('WebSocket transport against a real server', () => {
  it('opens a session and carries a question and the bot answer', async () => {
    const server = await backendServer();
    const c = client(server.port);
    await c.start();
    await until(() => c.getSnapshot().connection.status === 'online');
    await c.sendText('Where is my parcel?');
    await until(() => texts(c).some((t) => /tracking timeline/.test(t)));
    expect(selectTimeline(c.getSnapshot()).find((i) => i.author.role === 'buyer')?.delivery).toBe('sent');
  });

  it('reconnects after the server drops the link and delivers what was sent meanwhile exactly once', async () => {
    const backend = new SupportBackend();
    const server = await backendServer(backend);
    const c = client(server.port);
    await c.start();
    await until(() => c.getSnapshot().connection.status === 'online');
    for (const ws of server.wss.clients) ws.terminate();
    await until(() => c.getSnapshot().connection.status !== 'online');
    await c.sendText('sent during the outage');
    await until(() => c.getSnapshot().connection.status === 'online' && c.getSnapshot().outbox.length === 0);
    const conversationId = c.getSnapshot().conversationId!;
    expect(backend.messagesOf(conversationId).filter((m) => m.author.role === 'buyer').map((m) => m.body.kind === 'text' && m.body.text)).toEqual([
      'sent during the outage',
    ]);
    expect(texts(c).filter((t) => t === 'sent during the outage')).toHaveLength(1);
  });

  it('comes back when the server restarts on the same port, resuming the same conversation', async () => {
    const backend = new SupportBackend();
    const first = await backendServer(backend);
    const c = client(first.port);
    await c.start();
    await until(() => c.getSnapshot().connection.status === 'online');
    const conversationId = c.getSnapshot().conversationId;
    await first.close();
    await until(() => c.getSnapshot().connection.status === 'offline');
    await c.sendText('while the server was down');
    expect(selectTimeline(c.getSnapshot()).at(-1)?.delivery).toBe('sending');
    await backendServer(backend, first.port);
    await until(() => c.getSnapshot().outbox.length === 0 && c.getSnapshot().connection.status === 'online');
    expect(c.getSnapshot().conversationId).toBe(conversationId);
    expect(backend.messagesOf(conversationId!).filter((m) => m.author.role === 'buyer')).toHaveLength(1);
  });

  it('detects a half-open link that stopped answering and dials again', async () => {
    // This server accepts the socket and then never says a word: the link looks open but is dead.
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => silent.once('listening', () => r()));
    let connections = 0;
    silent.on('connection', () => connections++);
    cleanups.push(() => new Promise<void>((r) => { for (const ws of silent.clients) ws.terminate(); silent.close(() => r()); }));
    const c = client((silent.address() as AddressInfo).port, { heartbeatMs: 30, deadAfterMs: 100 });
    const errors: XiaoerError[] = [];
    c.on('error', (e) => errors.push(e));
    const statuses: string[] = [];
    c.subscribe((s) => statuses.push(s.connection.status));
    await c.start();
    await until(() => connections >= 2);
    expect(statuses).toContain('offline');
  });

  it('turns garbage from the server into error events without breaking the link', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanups.push(() => new Promise<void>((r) => { for (const ws of wss.clients) ws.terminate(); wss.close(() => r()); }));
    const backend = new SupportBackend();
    wss.on('connection', (ws) => {
      ws.send('not json');
      ws.send(JSON.stringify({ v: 1, kind: 'event', seq: -4 }));
      ws.send(JSON.stringify({ v: 7, kind: 'ack', id: 'x' }));
      const conn = backend.connectBuyer((f) => ws.send(JSON.stringify(f)));
      ws.on('message', (d) => conn.receive(d.toString()));
    });
    const c = client((wss.address() as AddressInfo).port);
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.code));
    await c.start();
    await until(() => c.getSnapshot().connection.status === 'online');
    expect(errors).toEqual(['protocol', 'protocol', 'protocol']);
    await c.sendText('still works');
    await until(() => c.getSnapshot().outbox.length === 0);
  });
});
