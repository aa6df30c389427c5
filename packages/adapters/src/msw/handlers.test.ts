import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { EventSource } from 'eventsource';
import { createClient, selectTimeline, type ServerFrame, type XiaoerClient } from '@xiaoer/core';
import { createHttpTransport, type EventSourceConstructor } from '../http/index.js';
import type { DeskServerFrame } from '../memory/index.js';
import { createXiaoerHandlers } from './index.js';

const BASE = 'http://shop.test/xiaoer/http';
const handlers = createXiaoerHandlers({ baseUrl: BASE });
const server = setupServer(...handlers);

/** eventsource@4 over the global fetch, which msw patches: the stream never leaves the process. */
class InterceptedEventSource extends EventSource {
  constructor(url: string) {
    super(url, { fetch: (input, init) => globalThis.fetch(input, init) });
  }
}

const cleanups: (() => void)[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
  handlers.close();
});
afterAll(() => server.close());

async function until(check: () => boolean, timeoutMs = 5_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function httpClient(): XiaoerClient {
  const transport = createHttpTransport({
    url: BASE,
    EventSource: InterceptedEventSource as unknown as EventSourceConstructor,
    backoff: { baseMs: 20, maxMs: 200 },
  });
  const client = createClient({ transport, locale: 'en' });
  cleanups.push(() => client.stop());
  return client;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hello = (extra: Record<string, unknown> = {}) => ({ v: 1, kind: 'session.start', visitor: { visitorId: 'v_msw' }, locale: 'en', afterSeq: 0, ...extra });

type SseEvent = { id?: string; event?: string; data: string };

/**
 * Opens `GET {BASE}/events` and reads its SSE blocks; `until` reads on until a condition holds (or
 * time runs out). `close` aborts the request, as EventSource.close() does (msw does not pass a
 * cancelled body on to the handler's stream; an aborted request it does).
 */
async function openEvents(helloFrame: unknown, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${BASE}/events?hello=${b64(helloFrame)}`, { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: SseEvent[] = [];
  return {
    res,
    events,
    close: () => controller.abort(),
    async until(enough: (events: SseEvent[]) => boolean, ms = 2_000): Promise<SseEvent[]> {
      const deadline = Date.now() + ms;
      while (!enough(events) && Date.now() < deadline) {
        const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
        if (!next || next.done) break;
        text += decoder.decode(next.value, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop()!;
        for (const block of blocks) {
          const e: SseEvent = { data: '' };
          for (const line of block.split('\n')) {
            const at = line.indexOf(': ');
            const [k, v] = at < 0 ? [line.replace(/:$/, ''), ''] : [line.slice(0, at), line.slice(at + 2)];
            if (k === 'id') e.id = v;
            else if (k === 'event') e.event = v;
            else if (k === 'data') e.data = v;
          }
          events.push(e);
        }
      }
      return events;
    },
  };
}

describe('createXiaoerHandlers over msw/node', () => {
  it('runs a session end to end: ready, FAQ answer, handoff queued, agent reply', async () => {
    const client = httpClient();
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    expect(handlers.openStreams).toBe(1);

    await client.sendText('How long does a refund take?');
    await until(() => selectTimeline(client.getSnapshot()).some((i) => i.body.kind === 'text' && /Refunds reach/.test(i.body.text)));
    await until(() => client.getSnapshot().outbox.length === 0);

    const deskFrames: DeskServerFrame[] = [];
    const desk = handlers.backend.connectAgent(handlers.backend.listAgents()[0]!, (f) => deskFrames.push(f));
    cleanups.push(() => desk.close());

    await client.requestHandoff();
    await until(() => client.getSnapshot().routing.phase === 'queued');
    expect(client.getSnapshot().routing).toMatchObject({ phase: 'queued', position: 1 });
    await until(() => deskFrames.some((f) => f.kind === 'desk.queue' && f.queue.length === 1));

    const conversationId = client.getSnapshot().conversationId!;
    expect(conversationId).toBeTruthy();
    desk.receive({ kind: 'desk.take', conversationId });
    desk.receive({ kind: 'desk.reply', conversationId, id: 'r1', text: 'Hi, Lin here.' });
    await until(() => client.getSnapshot().routing.phase === 'agent');
    await until(() => selectTimeline(client.getSnapshot()).some((i) => i.body.kind === 'text' && i.body.text === 'Hi, Lin here.'));

    client.stop();
    await until(() => handlers.openStreams === 0);
  });

  it('opens with a connection event, ids conversation events, and resumes from Last-Event-ID', async () => {
    const stream = await openEvents(hello());
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await stream.until((e) => e.some((x) => x.data.includes('"session.ready"')));
    expect(first[0]).toMatchObject({ event: 'connection' });
    const connectionId = first[0]!.data;
    expect(connectionId).toMatch(/^[\w-]{20,}$/);
    const ready = JSON.parse(first.find((e) => e.data.includes('"session.ready"'))!.data) as Extract<ServerFrame, { kind: 'session.ready' }>;
    const { conversationId } = ready;

    // A command over POST: its events come down the stream with `<conversationId>:<seq>` ids.
    const post = await fetch(`${BASE}/frames?connection=${connectionId}`, {
      method: 'POST',
      body: JSON.stringify({ v: 1, kind: 'command', id: 'c1', command: { type: 'message.send', body: { kind: 'text', text: 'How long does a refund take?' } } }),
    });
    expect(post.status).toBe(202);
    const acked = (e: SseEvent[]) => e.some((x) => x.data.includes('"ack"') && x.data.includes('"c1"'));
    const all = await stream.until((e) => acked(e) && e.some((x) => x.data.includes('Refunds reach')));
    expect(acked(all)).toBe(true);
    const ids = all.filter((e) => e.id).map((e) => e.id!);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(id.startsWith(`${conversationId}:`)).toBe(true);
    stream.close();
    await until(() => handlers.openStreams === 0);

    // Re-opened at the same URL (no conversation in its hello) with Last-Event-ID = the first event:
    // the same conversation, and only the events after it replay.
    const [firstId, secondId] = ids;
    const again = await openEvents(hello(), { 'last-event-id': firstId! });
    const replay = await again.until((e) => e.some((x) => x.id === ids.at(-1)));
    const replayed = replay.filter((e) => e.id).map((e) => e.id);
    expect(replayed).not.toContain(firstId);
    expect(replayed).toContain(secondId);
    expect(replayed).toContain(ids.at(-1));
    again.close();
  });

  it('closes the stream and its backend connection when the request is aborted', async () => {
    const stream = await openEvents(hello());
    const [connection] = await stream.until((e) => e.length >= 1);
    expect(connection?.event).toBe('connection');
    expect(handlers.openStreams).toBe(1);
    stream.close();
    await until(() => handlers.openStreams === 0);
    // The connection it named is gone.
    const post = await fetch(`${BASE}/frames?connection=${connection!.data}`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
  });

  it('answers 404 for an unknown connection, 413 for a frame over 256 KiB, 400 for a bad hello', async () => {
    const unknown = await fetch(`${BASE}/frames?connection=nope`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);

    const stream = await openEvents(hello());
    const [connection] = await stream.until((e) => e.length >= 1);
    const big = await fetch(`${BASE}/frames?connection=${connection!.data}`, { method: 'POST', body: 'x'.repeat(256 * 1024 + 1) });
    expect(big.status).toBe(413);
    stream.close();

    const bad = await fetch(`${BASE}/events?hello=${b64({ kind: 'nope' })}`);
    expect(bad.status).toBe(400);
  });
});
