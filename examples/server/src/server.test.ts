import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import type { BuyerIdentity, Order, AfterSalesCase, ServerFrame } from '@xiaoer/core';
import { buyerIdentity, signBuyer } from './identity.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'xiaoer-server-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function server(dataDir = tempDir(), port = 0, extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const s = await startServer({ dataDir, port, deskKey: 'desk-secret', log: () => {}, ...extra });
  cleanups.push(() => s.close());
  return s;
}

function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    }).on('error', reject).end();
  });
}

/** A raw protocol client: sends frames, collects what comes back. */
async function buyer(url: string, visitorId: string, conversationId?: string, identity?: BuyerIdentity) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/xiaoer/ws');
  const frames: ServerFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as ServerFrame));
  await new Promise((r) => ws.once('open', r));
  cleanups.push(() => ws.terminate());
  ws.send(JSON.stringify({ v: 1, kind: 'session.start', visitor: { visitorId, ...(identity ? { buyer: identity } : {}) }, afterSeq: 0, locale: 'en', ...(conversationId ? { conversationId } : {}) }));
  const waitFor = async (pred: (f: ServerFrame) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('frame did not arrive');
  };
  const ready = (await waitFor((f) => f.kind === 'session.ready')) as Extract<ServerFrame, { kind: 'session.ready' }>;
  let n = 0;
  /** Sends a command or query and waits for its answer (ack, nack or result). */
  const ask = async (body: { command: unknown } | { query: unknown }, id = `x_${++n}`) => {
    ws.send(JSON.stringify({ v: 1, kind: 'command' in body ? 'command' : 'query', id, ...body }));
    return (await waitFor((f) => (f.kind === 'ack' || f.kind === 'nack' || f.kind === 'result') && f.id === id)) as Extract<ServerFrame, { kind: 'ack' | 'nack' | 'result' }>;
  };
  return { ws, frames, ready, waitFor, ask, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

describe('reference server', () => {
  it('serves the storefront under a strict Content-Security-Policy with the one-tag embed', async () => {
    const s = await server();
    const page = await get(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.body).toMatch(/<script src="\/xiaoer\.js"[^>]*><\/script>/);
    expect((await get(`${s.url}/desk`)).body).toMatch(/agent desk/i);
  });

  it('never serves files outside its folders', async () => {
    const s = await server();
    expect((await get(`${s.url}/storefront/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    expect((await get(`${s.url}/desk/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('lets the agent desk in only with its key', async () => {
    const s = await server();
    const refused = new WebSocket(`${s.url.replace('http', 'ws')}/xiaoer/desk?key=wrong`);
    const outcome = await new Promise<string>((r) => {
      refused.once('open', () => r('open'));
      refused.once('error', () => r('refused'));
    });
    expect(outcome).toBe('refused');
    const desk = new WebSocket(`${s.deskUrl.replace('http', 'ws').replace('/desk?', '/xiaoer/desk?')}`);
    cleanups.push(() => desk.terminate());
    const first = await new Promise<{ kind: string }>((r) => desk.once('message', (d) => r(JSON.parse(d.toString()))));
    expect(first.kind).toBe('desk.ready');
  });

  it('keeps conversations and idempotency keys across a restart', async () => {
    const dataDir = tempDir();
    const first = await server(dataDir);
    const a = await buyer(first.url, 'v_restart');
    a.send({ v: 1, kind: 'command', id: 'c_1', command: { type: 'message.send', body: { kind: 'text', text: 'remember me' } } });
    await a.waitFor((f) => f.kind === 'ack' && f.id === 'c_1');
    await first.close();

    const second = await server(dataDir);
    const b = await buyer(second.url, 'v_restart', a.ready.conversationId);
    expect(b.ready.conversationId).toBe(a.ready.conversationId);
    // Resent after the restart (its ack was "lost"): acknowledged, not applied twice.
    b.send({ v: 1, kind: 'command', id: 'c_1', command: { type: 'message.send', body: { kind: 'text', text: 'remember me' } } });
    await b.waitFor((f) => f.kind === 'ack' && f.id === 'c_1');
    const mine = second.backend.messagesOf(a.ready.conversationId).filter((m) => m.author.role === 'buyer');
    expect(mine.map((m) => m.body.kind === 'text' && m.body.text)).toEqual(['remember me']);
  });

  it('answers a malformed frame with a protocol error and keeps the connection', async () => {
    const s = await server();
    const a = await buyer(s.url, 'v_bad');
    a.ws.send('{{{');
    await a.waitFor((f) => f.kind === 'error');
    a.send({ v: 1, kind: 'ping', id: 'p1' });
    await a.waitFor((f) => f.kind === 'pong');
  });
});

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function scriptAttributes(html: string): Record<string, string> {
  const tag = /<script src="\/xiaoer\.js"([^>]*)>/.exec(html)?.[1] ?? '';
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('reference server: buyer identity', () => {
  it('serves the storefront with the demo buyer\'s signed identity on the script tag, and without it for ?guest=1', async () => {
    const s = await server(tempDir(), 0, { shopSecret: 'test-secret' });
    const before = Date.now();
    const page = await get(`${s.url}/`);
    expect(page.headers['cache-control']).toBe('no-store');
    const attrs = scriptAttributes(page.body);
    expect(attrs['data-buyer-id']).toBe('buyer-demo');
    expect(attrs['data-buyer-name']).toBe('王小明 Wang Xiaoming');
    const expires = Number(attrs['data-buyer-expires']);
    expect(expires).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(attrs['data-buyer-signature']).toBe(signBuyer('test-secret', 'buyer-demo', expires));
    const guest = await get(`${s.url}/?guest=1`);
    expect(guest.body).toMatch(/<script src="\/xiaoer\.js"[^>]*><\/script>/);
    expect(scriptAttributes(guest.body)['data-buyer-id']).toBeUndefined();
  });

  it('trusts a signature made with the shop secret, and refuses forged and expired ones', async () => {
    const s = await server(tempDir(), 0, { shopSecret: 'test-secret' });
    const good = await buyer(s.url, 'v_good', undefined, buyerIdentity('test-secret', { id: 'buyer-demo' }, Date.now()));
    expect(good.ready.buyer).toEqual({ id: 'buyer-demo', name: '王小明 Wang Xiaoming' });
    expect(await good.ask({ query: { type: 'orders.list', limit: 2 } })).toMatchObject({ kind: 'result', result: { orders: [{ id: 'XE10010' }, { id: 'XE10009' }] } });

    const forged = await buyer(s.url, 'v_forged', undefined, buyerIdentity('not-the-secret', { id: 'buyer-demo' }, Date.now()));
    expect(forged.ready.buyer).toBeUndefined();
    await forged.waitFor((f) => f.kind === 'error' && f.error.reason === 'identity-invalid');
    expect(await forged.ask({ query: { type: 'orders.list' } })).toMatchObject({ kind: 'nack', error: { code: 'unauthorized', reason: 'login-required' } });

    // Someone else's id under the demo buyer's signature: the signature covers the id.
    const swapped = { ...buyerIdentity('test-secret', { id: 'buyer-demo' }, Date.now()), id: 'buyer-other' };
    expect((await buyer(s.url, 'v_swap', undefined, swapped)).ready.buyer).toBeUndefined();

    const expired = await buyer(s.url, 'v_expired', undefined, buyerIdentity('test-secret', { id: 'buyer-demo' }, Date.now() - 7_200_000));
    expect(expired.ready.buyer).toBeUndefined();
    await expired.waitFor((f) => f.kind === 'error' && f.error.reason === 'identity-expired');
  });

  it('keeps the generated shop secret in the data folder, so signatures survive a restart', async () => {
    const dataDir = tempDir();
    const first = await server(dataDir);
    expect(first.shopSecret).toMatch(/^[0-9a-f]{64}$/);
    const identity = buyerIdentity(first.shopSecret, { id: 'buyer-demo' }, Date.now());
    await first.close();
    const second = await server(dataDir);
    expect(second.shopSecret).toBe(first.shopSecret);
    expect((await buyer(second.url, 'v_again', undefined, identity)).ready.buyer?.id).toBe('buyer-demo');
  });
});

describe('reference server: photos, orders and cases', () => {
  it('serves an uploaded photo at its URL with its type, nosniff and a locked-down policy', async () => {
    const s = await server(tempDir(), 0, { shopSecret: 'k' });
    const me = await buyer(s.url, 'v_photo', undefined, buyerIdentity('k', { id: 'buyer-demo' }, Date.now()));
    const ack = await me.ask({ command: { type: 'photo.upload', photoId: 'p_1', mime: 'image/png', data: PNG } }, 'p_1');
    const url = (ack as { result: { url: string } }).result.url;
    expect(url).toMatch(/^\/xiaoer\/photos\/[A-Za-z0-9_-]{32}$/);
    expect(await me.ask({ command: { type: 'photo.upload', photoId: 'p_1', mime: 'image/png', data: PNG } }, 'p_1')).toEqual(ack);
    const photo = await get(`${s.url}${url}`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.headers['x-content-type-options']).toBe('nosniff');
    expect(photo.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(photo.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
    expect((await get(`${s.url}/xiaoer/photos/${'A'.repeat(32)}`)).status).toBe(404);
    expect((await get(`${s.url}/xiaoer/photos/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('keeps orders, cases and photos across a restart', async () => {
    const dataDir = tempDir();
    const first = await server(dataDir, 0, { shopSecret: 'k' });
    const identity = () => buyerIdentity('k', { id: 'buyer-demo' }, Date.now());
    const a = await buyer(first.url, 'v_r', undefined, identity());
    expect(await a.ask({ command: { type: 'order.cancel', orderId: 'XE10008' } })).toMatchObject({ kind: 'ack' });
    const photo = await a.ask({ command: { type: 'photo.upload', photoId: 'ev_1', mime: 'image/png', data: PNG } }, 'ev_1');
    const opened = await a.ask({
      command: {
        type: 'case.open', orderId: 'XE10006',
        request: { type: 'return-and-refund', lines: [{ lineId: 'L2', quantity: 1 }], reason: 'quality-problem', amount: { amount: 14900, currency: 'CNY' }, description: '竹条开裂', photos: [{ id: 'ev_1', slot: 'defect-close-up' }] },
      },
    });
    expect(opened).toMatchObject({ kind: 'ack', result: { caseId: expect.stringMatching(/^AS-/) } });
    const caseId = (opened as { result: { caseId: string } }).result.caseId;
    await first.close();

    const second = await server(dataDir, 0, { shopSecret: 'k' });
    const b = await buyer(second.url, 'v_r', undefined, identity());
    expect(b.ready.conversationId).toBe(a.ready.conversationId);
    const order = (await b.ask({ query: { type: 'order.get', orderId: 'XE10008' } })) as { result: { order: Order } };
    expect(order.result.order).toMatchObject({ status: 'closed' });
    const cases = (await b.ask({ query: { type: 'cases.list' } })) as { result: { cases: AfterSalesCase[] } };
    expect(cases.result.cases.find((c) => c.id === caseId)).toMatchObject({ state: 'requested', request: { photos: [{ id: 'ev_1' }] } });
    const url = (photo as { result: { url: string } }).result.url;
    expect((await get(`${second.url}${url}`)).headers['content-type']).toBe('image/png');
  });

  it('prints the guest code to the console, as the demo\'s stand-in for an SMS', async () => {
    const lines: string[] = [];
    const s = await server(tempDir(), 0, { log: (line) => lines.push(line) });
    const guest = await buyer(s.url, 'v_guest');
    expect(await guest.ask({ command: { type: 'guest.code.request', orderId: 'XE10007' } })).toMatchObject({ kind: 'ack' });
    const line = lines.find((l) => l.startsWith('[xiaoer] guest code for order XE10007: '));
    const code = /: (\d{6})/.exec(line ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(await guest.ask({ query: { type: 'guest.order', orderId: 'XE10007', code } })).toMatchObject({ kind: 'result', result: { order: { id: 'XE10007' } } });
  });

  it('applies after-sales deadlines on its own clock tick', async () => {
    let now = Date.now();
    const s = await server(tempDir(), 0, { tickMs: 20, now: () => now });
    const deadline = s.backend.afterSalesCase('AS-70003')!.deadlines.merchantReplyBy!;
    now = deadline;
    for (let i = 0; i < 100 && s.backend.afterSalesCase('AS-70003')?.state === 'requested'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.backend.afterSalesCase('AS-70003')).toMatchObject({ state: 'awaiting-return', timeline: expect.arrayContaining([expect.objectContaining({ type: 'auto-approved' })]) });
  });

  it('goes offline outside XIAOER_BUSINESS_HOURS', async () => {
    // 02:00 UTC is 10:00 in Shanghai: open from 09:00 to 22:00 there, closed in a 20:00–02:00 window.
    const tenInShanghai = Date.UTC(2025, 5, 1, 2, 0);
    const open = await server(tempDir(), 0, { now: () => tenInShanghai, businessHours: 'Asia/Shanghai 09:00-22:00' });
    expect((await buyer(open.url, 'v_day')).ready.agentsAvailable).toBe(true);
    const closed = await server(tempDir(), 0, { now: () => tenInShanghai, businessHours: 'Asia/Shanghai 20:00-02:00' });
    const night = await buyer(closed.url, 'v_night');
    expect(night.ready.agentsAvailable).toBe(false);
    await night.ask({ command: { type: 'handoff.request' } });
    await night.waitFor((f) => f.kind === 'event' && f.event.type === 'routing.changed' && f.event.routing.phase === 'offline');
    await expect(server(tempDir(), 0, { businessHours: 'Mars/Olympus 09:00-22:00' })).rejects.toThrow(/unknown time zone/);
  });
});
