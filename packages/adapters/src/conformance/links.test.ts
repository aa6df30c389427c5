import { describe, expect, it } from 'vitest';
import { CheckFailure } from './failure.js';
import { describeFrame, openHttpLink, type LinkHooks } from './links.js';

function hooks(signal = new AbortController().signal): LinkHooks & { seen: string[] } {
  const seen: string[] = [];
  return { signal, timedOut: (what) => `timed out waiting for ${what}`, collect: (r) => seen.push(r.text), seen };
}

/** A fetch that serves one scripted event stream (in the given chunks) and records the POSTs. */
function scriptedFetch(chunks: string[], { type = 'text/event-stream; charset=utf-8', postStatus = 202 } = {}) {
  const posts: { url: string; body: string }[] = [];
  const requests: { url: string; headers: Record<string, string> }[] = [];
  let push: ((chunk: string) => void) | null = null;
  const doFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    if (init?.method === 'POST') {
      posts.push({ url, body: String(init.body) });
      return new Response(null, { status: postStatus });
    }
    requests.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const encoder = new TextEncoder();
        for (const c of chunks) controller.enqueue(encoder.encode(c));
        push = (c) => controller.enqueue(encoder.encode(c));
      },
    });
    return new Response(body, { headers: { 'content-type': type } });
  }) as typeof fetch;
  return { doFetch, posts, requests, push: (c: string) => push?.(c) };
}

describe('the HTTP link read with fetch', () => {
  it('parses the stream as an EventSource would: CRLF, comments, split chunks, ids, multi-line data', async () => {
    const f = scriptedFetch([
      'retry: 2000\r\nevent: connection\r\ndata: conn-1\r\n\r\n',
      ': keep-alive\n\n',
      'id: 7\ndata: {"v":1,"kind":"even',
      't-ish","id":"x"}\n\n',
      'event: ping\ndata: \n\n',
      'data: first line\ndata: second line\n\n',
    ]);
    const h = hooks();
    const link = await openHttpLink({ base: 'http://shop.test/xiaoer/http', hello: { kind: 'session.start' }, fetch: f.doFetch, lastEventId: '5' }, h);
    expect(f.requests[0]!.url).toBe('http://shop.test/xiaoer/http/events?hello=eyJraW5kIjoic2Vzc2lvbi5zdGFydCJ9');
    expect(f.requests[0]!.headers['last-event-id']).toBe('5');
    const odd = await link.waitFor((frame) => frame.kind === 'event-ish', 'the odd frame');
    expect(odd.sseId).toBe('7');
    const text = await link.waitFor((_, r) => r.value === undefined, 'the text frame');
    expect(text.text).toBe('first line\nsecond line');
    expect(describeFrame(text)).toBe('not JSON: "first line second line"');
    expect(h.seen).toHaveLength(2); // the `connection` and `ping` events are not frames

    link.send({ v: 1, kind: 'ping', id: 'a' });
    link.send('not json');
    await expect.poll(() => f.posts.length).toBe(2);
    expect(f.posts.map((p) => [p.url, p.body])).toEqual([
      ['http://shop.test/xiaoer/http/frames?connection=conn-1', '{"v":1,"kind":"ping","id":"a"}'],
      ['http://shop.test/xiaoer/http/frames?connection=conn-1', 'not json'],
    ]);
    link.close();
  });

  it('refuses a stream that is not text/event-stream', async () => {
    const f = scriptedFetch(['event: connection\ndata: c\n\n'], { type: 'text/html' });
    await expect(openHttpLink({ base: 'http://shop.test/x', hello: {}, fetch: f.doFetch }, hooks())).rejects.toThrow(
      /cannot open the event stream http:\/\/shop\.test\/x\/events: the stream came as "text\/html", not text\/event-stream/,
    );
  });

  it('ends the link when a POST is refused, and says so to whoever waits', async () => {
    const f = scriptedFetch(['event: connection\ndata: c\n\n'], { postStatus: 404 });
    const link = await openHttpLink({ base: 'http://shop.test/x', hello: {}, fetch: f.doFetch }, hooks());
    const waiting = link.waitFor((frame) => frame.kind === 'pong', 'a pong');
    link.send({ v: 1, kind: 'ping', id: 'p' });
    await expect(waiting).rejects.toThrow(new CheckFailure('a pong: POST /frames answered HTTP 404 (nothing received)'));
    expect(link.endedBy).toBe('POST /frames answered HTTP 404');
    link.close();
  });

  it('gives up waiting when the check runs out of time, naming what it waited for and what came', async () => {
    const f = scriptedFetch(['event: connection\ndata: c\n\ndata: {"v":1,"kind":"pong","id":"z"}\n\n']);
    const controller = new AbortController();
    const link = await openHttpLink({ base: 'http://shop.test/x', hello: {}, fetch: f.doFetch }, hooks(controller.signal));
    await link.waitFor((frame) => frame.kind === 'pong', 'the first pong');
    const waiting = link.waitFor((frame) => frame.kind === 'session.ready', 'session.ready');
    controller.abort();
    await expect(waiting).rejects.toThrow('timed out waiting for session.ready (last received: pong z)');
  });
});
