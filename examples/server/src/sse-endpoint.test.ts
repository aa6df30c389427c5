import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { EventSource } from 'eventsource';
import { createClient, selectTimeline, type ServerFrame, type XiaoerClient } from '@xiaoer/core';
import { createHttpTransport, type EventSourceConstructor } from '@xiaoer/adapters/http';
import { startServer, type RunningServer } from './server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-sse-')), port = 0): Promise<RunningServer> {
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const s = await startServer({ dataDir, port, deskKey: 'k', log: () => {} });
  cleanups.push(() => s.close());
  return s;
}

async function until(check: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function httpClient(url: string): XiaoerClient {
  const transport = createHttpTransport({
    url: `${url}/xiaoer/http`,
    EventSource: EventSource as unknown as EventSourceConstructor,
    backoff: { baseMs: 20, maxMs: 200 },
  });
  const client = createClient({ transport, locale: 'en' });
  cleanups.push(() => client.stop());
  return client;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Reads an SSE stream for a while and returns its data frames and ids. */
function readStream(url: string, headers: Record<string, string> = {}, ms = 400): Promise<{ status: number; events: { id?: string; data: string; event?: string }[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      setTimeout(() => {
        req.destroy();
        const events = text.split('\n\n').filter(Boolean).map((block) => {
          const e: { id?: string; data: string; event?: string } = { data: '' };
          for (const line of block.split('\n')) {
            const [k, ...rest] = line.split(': ');
            const v = rest.join(': ');
            if (k === 'id') e.id = v;
            else if (k === 'data') e.data = v;
            else if (k === 'event') e.event = v;
          }
          return e;
        });
        resolve({ status: res.statusCode ?? 0, events });
      }, ms);
    });
    req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

describe('HTTP + Server-Sent Events transport against the reference server', () => {
  it('opens a session over SSE, sends over POST, and gets the bot answer', async () => {
    const s = await server();
    const client = httpClient(s.url);
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    await client.sendText('How long does a refund take?');
    await until(() => selectTimeline(client.getSnapshot()).some((i) => i.body.kind === 'text' && /Refunds reach/.test(i.body.text)));
    expect(client.getSnapshot().outbox).toHaveLength(0);
  });

  it('survives a server restart: what was sent meanwhile arrives exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-sse-'));
    const first = await server(dataDir);
    const client = httpClient(first.url);
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    const conversationId = client.getSnapshot().conversationId!;
    await first.close();
    await until(() => client.getSnapshot().connection.status !== 'online');
    await client.sendText('sent while the server was away');
    const second = await server(dataDir, first.port);
    await until(() => client.getSnapshot().connection.status === 'online' && client.getSnapshot().outbox.length === 0, 15_000);
    expect(client.getSnapshot().conversationId).toBe(conversationId);
    const mine = second.backend.messagesOf(conversationId).filter((m) => m.body.kind === 'text' && m.body.text === 'sent while the server was away');
    expect(mine).toHaveLength(1);
    // The reconnect waits out the transport's backoff and the stream's random 1–5 s `retry:`; the
    // wait above allows 15 s, so the test must too.
  }, 30_000);

  it('resumes from Last-Event-ID: a re-opened stream replays only the events after it', async () => {
    const s = await server();
    const hello = { v: 1, kind: 'session.start', visitor: { visitorId: 'v_sse_resume' }, afterSeq: 0, locale: 'en' };
    const first = await readStream(`${s.url}/xiaoer/http/events?hello=${b64(hello)}`);
    expect(first.status).toBe(200);
    expect(first.events[0]).toMatchObject({ event: 'connection' });
    const ready = first.events.map((e) => (e.data && !e.event ? (JSON.parse(e.data) as ServerFrame) : null)).find((f) => f?.kind === 'session.ready');
    const conversationId = ready && ready.kind === 'session.ready' ? ready.conversationId : '';
    const seqs = first.events.filter((e) => e.id).map((e) => Number(e.id!.split(':').at(-1)));
    expect(seqs.length).toBeGreaterThan(0);

    // The browser re-opens with the same URL (no conversation, afterSeq 0) and the last id it saw.
    const again = await readStream(`${s.url}/xiaoer/http/events?hello=${b64(hello)}`, { 'last-event-id': `${conversationId}:${seqs.at(-1)}` });
    expect(again.events.filter((e) => e.id)).toEqual([]);
    const fromSecond = await readStream(`${s.url}/xiaoer/http/events?hello=${b64(hello)}`, { 'last-event-id': `${conversationId}:${seqs[0]}` });
    expect(fromSecond.events.filter((e) => e.id).map((e) => e.id)).toEqual(seqs.slice(1).map((n) => `${conversationId}:${n}`));
    const replayAll = await readStream(`${s.url}/xiaoer/http/events?hello=${b64({ ...hello, conversationId })}`);
    expect(replayAll.events.filter((e) => e.id).map((e) => Number(e.id!.split(':').at(-1)))).toEqual(seqs);
  });

  it('refuses a stream without a valid hello and frames for an unknown connection', async () => {
    const s = await server();
    expect((await readStream(`${s.url}/xiaoer/http/events?hello=bm9wZQ`, {}, 100)).status).toBe(400);
    const status = await new Promise<number>((resolve) => {
      const req = request(`${s.url}/xiaoer/http/frames?connection=nope`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end('{}');
    });
    expect(status).toBe(404);
  });
});
