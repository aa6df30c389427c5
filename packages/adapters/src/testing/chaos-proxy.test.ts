import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws';
import { createClient } from '@xiaoer/core';
import { createWebSocketTransport, type WebSocketConstructor } from '../websocket/websocket-transport.js';
import { createChaosProxy, type ChaosProxy } from './chaos-proxy.js';
import { seededRandom } from './random.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 3_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** An echo server on 127.0.0.1. */
async function echoServer(): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return server;
}

async function proxyTo(server: Server): Promise<ChaosProxy> {
  const proxy = await createChaosProxy({ targetPort: (server.address() as AddressInfo).port });
  cleanups.push(() => proxy.close());
  return proxy;
}

function dial(proxy: ChaosProxy) {
  const socket: Socket = connect({ host: '127.0.0.1', port: proxy.port });
  const got: string[] = [];
  const events: string[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => got.push(d));
  socket.on('error', (e: NodeJS.ErrnoException) => events.push(`error:${e.code}`));
  socket.on('close', () => events.push('close'));
  cleanups.push(() => void socket.destroy());
  return { socket, got, events, text: () => got.join('') };
}

describe('chaos proxy', () => {
  it('forwards both ways and counts bytes and connections', async () => {
    const proxy = await proxyTo(await echoServer());
    const a = dial(proxy);
    a.socket.write('hello');
    await until(() => a.text() === 'hello');
    expect(proxy.stats()).toMatchObject({ connections: 1, open: 1, bytesUp: 5, bytesDown: 5 });
  });

  it('cut() closes both sides; reset() sends an RST', async () => {
    const proxy = await proxyTo(await echoServer());
    const a = dial(proxy);
    a.socket.write('x');
    await until(() => a.text() === 'x');
    expect(proxy.cut()).toBe(1);
    await until(() => a.events.includes('close'));

    const b = dial(proxy);
    b.socket.write('y');
    await until(() => b.text() === 'y');
    expect(proxy.reset()).toBe(1);
    await until(() => b.events.includes('close'));
    expect(b.events).toContain('error:ECONNRESET');
    expect(proxy.stats()).toMatchObject({ cuts: 1, resets: 1, open: 0 });
  });

  it('stall() holds bytes without closing anything, and resume() delivers them in order', async () => {
    const proxy = await proxyTo(await echoServer());
    const a = dial(proxy);
    a.socket.write('1');
    await until(() => a.text() === '1');
    proxy.stall();
    a.socket.write('2');
    a.socket.write('3');
    await sleep(100);
    expect(a.text()).toBe('1');
    expect(a.events).toEqual([]);
    // Not a black hole: a new connection works meanwhile.
    const b = dial(proxy);
    b.socket.write('new');
    await until(() => b.text() === 'new');
    proxy.resume();
    await until(() => a.text() === '123');
  });

  it('a black-hole stall holds new connections too, until admitNew() or resume()', async () => {
    const proxy = await proxyTo(await echoServer());
    proxy.stall(undefined, { blackhole: true });
    const held = dial(proxy);
    held.socket.write('held');
    await sleep(100);
    expect(held.text()).toBe('');
    proxy.admitNew();
    const fresh = dial(proxy);
    fresh.socket.write('fresh');
    await until(() => fresh.text() === 'fresh');
    expect(held.text()).toBe('');
    proxy.resume();
    await until(() => held.text() === 'held');
  });

  it('stall(ms) resumes by itself', async () => {
    const proxy = await proxyTo(await echoServer());
    const a = dial(proxy);
    a.socket.write('now ');
    await until(() => a.text() === 'now ');
    proxy.stall(80);
    a.socket.write('later');
    await sleep(30);
    expect(a.text()).toBe('now ');
    await until(() => a.text() === 'now later');
    expect(proxy.stalled).toBe(false);
  });

  it('lets a WebSocket client stop while its handshake is swallowed, without an uncaught error', async () => {
    // Regression: the transport dropped its error listener before closing a CONNECTING `ws`
    // socket, and `ws` then emitted an 'error' nobody listened to — an uncaught exception.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const proxy = await createChaosProxy({ targetPort: (wss.address() as AddressInfo).port });
    cleanups.push(() => proxy.close());
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    cleanups.push(() => void process.off('uncaughtException', onUncaught));

    proxy.stall(undefined, { blackhole: true });
    const transport = createWebSocketTransport({
      url: `ws://127.0.0.1:${proxy.port}`,
      WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
      backoff: { baseMs: 10, maxMs: 50, random: seededRandom(7).next },
    });
    const client = createClient({ transport });
    await client.start();
    await until(() => proxy.stats().connections === 1);
    client.stop();
    await sleep(50);
    expect(uncaught).toEqual([]);
  });
});

describe('chaos proxy: cut after N bytes upstream', () => {
  /** A server that keeps what each connection sent and whether it ended in order (FIN). */
  async function recordingServer() {
    const received: { text: string; ended: boolean }[] = [];
    const server = createServer((socket) => {
      const entry = { text: '', ended: false };
      received.push(entry);
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (entry.text += d));
      socket.on('end', () => (entry.ended = true));
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    return { server, received };
  }

  it('lets exactly N bytes through, ends that connection towards the server, and cuts every connection', async () => {
    const { server, received } = await recordingServer();
    const proxy = await proxyTo(server);
    const bystander = dial(proxy);
    const uploader = dial(proxy);
    await until(() => received.length === 2);
    const cut = proxy.cutUpstreamAfter(7);
    uploader.socket.write('abcd');
    uploader.socket.write('efghij');
    await cut;
    // The uploader's connection, not the bystander's (cut too, and possibly seen first), must end
    // cleanly (a FIN) after exactly the seven bytes.
    await until(() => received.some((r) => r.text === 'abcdefg' && r.ended));
    expect(received.map((r) => r.text)).toContain('abcdefg');
    await until(() => uploader.events.includes('close') && bystander.events.includes('close'));
    expect(proxy.stats()).toMatchObject({ cuts: 1, open: 0, bytesUp: 7 });
  });

  it('counts from just after a marker, even one split across two chunks', async () => {
    const { server, received } = await recordingServer();
    const proxy = await proxyTo(server);
    const c = dial(proxy);
    await until(() => received.length === 1);
    const cut = proxy.cutUpstreamAfter(3, { startAfter: '\r\n\r\n' });
    c.socket.write('POST /frames HTTP/1.1\r\nHost: x\r\n\r');
    await until(() => received[0]!.text.endsWith('\r'));
    c.socket.write('\nBODY-NOT-SENT');
    await cut;
    await until(() => received[0]!.ended);
    expect(received[0]!.text).toBe('POST /frames HTTP/1.1\r\nHost: x\r\n\r\nBOD');
  });

  it('with N equal to the whole request, the server gets all of it and its answer is lost', async () => {
    const answered: string[] = [];
    const server = createServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('error', () => {});
      socket.on('data', (d: string) => {
        answered.push(d);
        socket.write(`ack ${d}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const proxy = await proxyTo(server);
    const c = dial(proxy);
    await until(() => proxy.stats().open === 1);
    const cut = proxy.cutUpstreamAfter(6);
    c.socket.write('upload');
    await cut;
    await until(() => answered.length === 1 && c.events.includes('close'));
    expect(answered).toEqual(['upload']);
    expect(c.text()).toBe('');
  });
});
