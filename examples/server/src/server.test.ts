import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import type { ServerFrame } from '@xiaoer/core';
import { startServer, type RunningServer } from './server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'xiaoer-server-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function server(dataDir = tempDir(), port = 0): Promise<RunningServer> {
  const s = await startServer({ dataDir, port, deskKey: 'desk-secret' });
  cleanups.push(() => s.close());
  return s;
}

function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

/** A raw protocol client: sends frames, collects what comes back. */
async function buyer(url: string, visitorId: string, conversationId?: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/xiaoer/ws');
  const frames: ServerFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as ServerFrame));
  await new Promise((r) => ws.once('open', r));
  cleanups.push(() => ws.terminate());
  ws.send(JSON.stringify({ v: 1, kind: 'session.start', visitor: { visitorId }, afterSeq: 0, locale: 'en', ...(conversationId ? { conversationId } : {}) }));
  const waitFor = async (pred: (f: ServerFrame) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('frame did not arrive');
  };
  const ready = (await waitFor((f) => f.kind === 'session.ready')) as Extract<ServerFrame, { kind: 'session.ready' }>;
  return { ws, frames, ready, waitFor, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
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
