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

describe('createXiaoerHandlers scenarios (the catalog’s states)', () => {
  const buyer = { id: 'buyer-demo', name: 'Wang Xiaoming' };
  const text = (seq: number, role: 'buyer' | 'bot' | 'agent', body: string) =>
    ({ type: 'message.created', message: { id: `m${seq}`, conversationId: 'ignored', seq, author: role === 'agent' ? { role, name: 'Lin Xiao' } : { role }, body: { kind: 'text', text: body }, createdAt: 1_700_000_000_000 + seq } }) as const;

  function scenario(options: Parameters<typeof createXiaoerHandlers>[0]) {
    const scoped = createXiaoerHandlers({ baseUrl: BASE, heartbeatMs: 0, ...options });
    server.use(...scoped);
    cleanups.push(() => {
      scoped.close();
      server.resetHandlers();
    });
    return scoped;
  }

  it('replays a seeded history to a trusted buyer, with its routing state', async () => {
    const history = [...Array.from({ length: 300 }, (_, i) => text(i + 1, i % 2 ? 'bot' : 'buyer', `line ${i + 1}`)), { type: 'routing.changed', routing: { phase: 'queued', position: 2, etaSeconds: 240 } } as const];
    scenario({ buyer, history });
    const client = httpClient();
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online' && selectTimeline(client.getSnapshot()).length >= 300);
    const snapshot = client.getSnapshot();
    expect(snapshot.buyer).toMatchObject({ id: 'buyer-demo' });
    const texts = selectTimeline(snapshot).flatMap((i) => (i.body.kind === 'text' ? [i.body.text] : []));
    expect(texts.slice(0, 300)).toEqual(Array.from({ length: 300 }, (_, i) => `line ${i + 1}`));
    expect(snapshot.routing).toMatchObject({ phase: 'queued', position: 2 });
  });

  it('answers a refused command type with a nack carrying the scripted error, and lets others through', async () => {
    const error = { code: 'refused', message: 'blocked by the shop', retryable: false, reason: 'content-blocked' } as const;
    const scoped = scenario({ refuse: { 'message.send': error } });
    const stream = await openEvents(hello());
    const [connection] = await stream.until((e) => e.length >= 1);
    const post = (id: string, command: unknown) =>
      fetch(`${BASE}/frames?connection=${connection!.data}`, { method: 'POST', body: JSON.stringify({ v: 1, kind: 'command', id, command }) });
    expect((await post('c_refused', { type: 'message.send', body: { kind: 'text', text: 'hi' } })).status).toBe(202);
    expect((await post('c_handoff', { type: 'handoff.request' })).status).toBe(202);
    const all = await stream.until((e) => e.some((x) => x.data.includes('"c_refused"')) && e.some((x) => x.data.includes('"c_handoff"')));
    const frames = all.filter((e) => e.data.startsWith('{')).map((e) => JSON.parse(e.data) as ServerFrame);
    expect(frames.find((f) => 'id' in f && f.id === 'c_refused')).toEqual({ v: 1, kind: 'nack', id: 'c_refused', error });
    expect(frames.find((f) => 'id' in f && f.id === 'c_handoff')).toMatchObject({ kind: 'ack' });
    // The refused text never reached the backend's conversation.
    const conversationId = (frames.find((f) => f.kind === 'session.ready') as Extract<ServerFrame, { kind: 'session.ready' }>).conversationId;
    expect(scoped.backend.messagesOf(conversationId).some((m) => m.body.kind === 'text' && m.body.text === 'hi')).toBe(false);
    expect(scoped.backend.messagesOf(conversationId).length).toBeGreaterThan(0); // the welcome and the handoff notice did
    stream.close();
  });

  it('never answers a held request type, while the session goes on answering the rest', async () => {
    scenario({ buyer, hold: ['orders.list'] });
    const stream = await openEvents(hello());
    const [connection] = await stream.until((e) => e.length >= 1);
    const post = (frame: unknown) => fetch(`${BASE}/frames?connection=${connection!.data}`, { method: 'POST', body: JSON.stringify(frame) });
    expect((await post({ v: 1, kind: 'query', id: 'q_held', query: { type: 'orders.list' } })).status).toBe(202);
    expect((await post({ v: 1, kind: 'query', id: 'q_cases', query: { type: 'cases.list' } })).status).toBe(202);
    expect((await post({ v: 1, kind: 'ping', id: 'p_after' })).status).toBe(202);
    // Frames are handled in order: once the later ones are answered, the held one would have been.
    const all = await stream.until((e) => e.some((x) => x.data.includes('"p_after"')) && e.some((x) => x.data.includes('"q_cases"')));
    expect(all.some((x) => x.data.includes('"q_cases"') && x.data.includes('"result"'))).toBe(true);
    expect(all.some((x) => x.data.includes('"q_held"'))).toBe(false);
    stream.close();
  });

  it('takes the link down (streams break, requests fail) and brings it back up', async () => {
    const scoped = scenario({ buyer });
    const client = httpClient();
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    expect(scoped.openStreams).toBe(1);

    scoped.setLink('down');
    expect(scoped.link).toBe('down');
    await until(() => client.getSnapshot().connection.status !== 'online');
    expect(scoped.openStreams).toBe(0);
    await expect(fetch(`${BASE}/events?hello=${b64(hello())}`)).rejects.toThrow();

    scoped.setLink('refused');
    expect((await fetch(`${BASE}/events?hello=${b64(hello())}`)).status).toBe(503);

    scoped.setLink('up');
    await until(() => client.getSnapshot().connection.status === 'online');
    expect(scoped.openStreams).toBe(1);
  });

  it('refuses a history without a buyer', () => {
    expect(() => createXiaoerHandlers({ history: [text(1, 'bot', 'hello')] })).toThrow(/needs a `buyer`/);
  });
});
