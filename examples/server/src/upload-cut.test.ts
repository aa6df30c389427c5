import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { EventSource } from 'eventsource';
import { createClient, type ClientFrame, type Transport, type XiaoerClient } from '@xiaoer/core';
import { createWebSocketTransport, type WebSocketConstructor } from '@xiaoer/adapters/websocket';
import { createHttpTransport, type EventSourceConstructor } from '@xiaoer/adapters/http';
// Test-only toolkit, through the workspace link (see outbox.chaos.test.ts).
import { createChaosProxy, type ChaosProxy } from '../node_modules/@xiaoer/adapters/src/testing/chaos-proxy.js';
import { seededRandom } from '../node_modules/@xiaoer/adapters/src/testing/random.js';
import { dropAcks } from '../node_modules/@xiaoer/adapters/src/testing/drop-acks.js';
import { sleep, waitUntil } from './test-support/wait.js';
import { startServer, type RunningServer } from './server.js';

/**
 * The issue this guards: "Photos go through the outbox too: an upload cut off mid-way is retried
 * without producing a second message." The link to the real reference server (through a TCP proxy on
 * 127.0.0.1) dies after exactly N bytes of the photo's upload have passed — its WebSocket frame, or
 * its HTTP POST body — at the start, in the middle, one byte short of the end, and after the last
 * byte (the server has the whole photo; its ack is lost). Every time the photo ends up stored once,
 * byte for byte, in exactly one message, and the messages queued behind it keep their order.
 */

const DEADLINE_MS = 20_000;
/** A photo of ~48 KB: its upload frame (~64 KB of base64) is spread over several TCP chunks. */
const PHOTO_BYTES = 48 * 1024;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = (check: () => boolean, what: string) => waitUntil(check, what, DEADLINE_MS);
const within = <T>(promise: Promise<T>, what: string) =>
  Promise.race([promise, sleep(DEADLINE_MS).then(() => Promise.reject(new Error(`${what}: not in ${DEADLINE_MS} ms`)))]);

/** A PNG signature followed by seeded noise: valid for the server's type check, and never the same as another photo. */
function photo(seed: number): Uint8Array {
  const rng = seededRandom(seed);
  const bytes = new Uint8Array(PHOTO_BYTES);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < bytes.length; i++) bytes[i] = Math.floor(rng.next() * 256);
  return bytes;
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Bytes of a masked client WebSocket frame (RFC 6455 §5.2) carrying `payload` bytes, uncompressed. */
const webSocketFrameSize = (payload: number) => 2 + (payload > 0xffff ? 8 : payload > 125 ? 2 : 0) + 4 + payload;

type Adapter = 'websocket' | 'http';

/**
 * Where the link dies, in bytes of the upload (the WebSocket frame, or the POST body), and how often
 * the server then answers the upload: once when the cut upload never reached it whole, twice when it
 * did and the first ack was lost with the link.
 */
const CUTS: readonly { name: string; at: (size: number) => number; photoAcks: number }[] = [
  { name: 'just after the start', at: () => 16, photoAcks: 1 },
  { name: 'in the middle', at: (size) => Math.floor(size / 2), photoAcks: 1 },
  { name: 'one byte before the end', at: (size) => size - 1, photoAcks: 1 },
  { name: 'after the last byte (the server has it all, the ack is lost)', at: (size) => size, photoAcks: 2 },
];

async function setup(adapter: Adapter) {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-upload-cut-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {} });
  cleanups.push(() => server.close());
  const proxy = await createChaosProxy({ targetPort: server.port });
  cleanups.push(() => proxy.close());
  const backoff = { baseMs: 10, maxMs: 100, random: seededRandom(1).next };
  const transport: Transport =
    adapter === 'websocket'
      ? createWebSocketTransport({ url: `ws://127.0.0.1:${proxy.port}/xiaoer/ws`, WebSocket: NodeWebSocket as unknown as WebSocketConstructor, backoff })
      : createHttpTransport({ url: `http://127.0.0.1:${proxy.port}/xiaoer/http`, EventSource: EventSource as unknown as EventSourceConstructor, backoff });
  return { server, proxy, transport, dataDir };
}

/**
 * Arms the proxy's cut just before the first `photo.upload` frame goes out, at the byte `at(size)`
 * of that upload. Resolves when the link was cut.
 */
function cutFirstUpload(adapter: Adapter, transport: Transport, proxy: ChaosProxy, at: (size: number) => number): { cut: Promise<number>; uploadsSent: () => number } {
  const send = transport.send.bind(transport);
  let resolveCut: (size: number) => void = () => {};
  const cut = new Promise<number>((r) => (resolveCut = r));
  let uploads = 0;
  transport.send = (frame: ClientFrame) => {
    if (frame.kind === 'command' && frame.command.type === 'photo.upload' && uploads++ === 0) {
      const body = Buffer.byteLength(JSON.stringify(frame));
      // Over HTTP the count starts after the request headers (`\r\n\r\n`): it is the body's bytes.
      const size = adapter === 'websocket' ? webSocketFrameSize(body) : body;
      void proxy.cutUpstreamAfter(at(size), adapter === 'http' ? { startAfter: '\r\n\r\n' } : {}).then(() => resolveCut(size));
    }
    return send(frame);
  };
  return { cut, uploadsSent: () => uploads };
}

const photoRecords = (dataDir: string, photoId: string) =>
  readFileSync(join(dataDir, 'records.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { t: string; photoId?: string })
    .filter((r) => r.t === 'photo' && r.photoId === photoId);

async function fetchBytes(server: RunningServer, path: string): Promise<Uint8Array> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

const drained = (client: XiaoerClient) => () => client.getSnapshot().outbox.length === 0;

describe.each<Adapter>(['websocket', 'http'])('a photo upload cut off mid-way (%s, real server)', (adapter) => {
  it.each(CUTS)('$name: the photo arrives once, as one message, and what was queued behind it keeps its order', async ({ at, photoAcks }) => {
    const { server, proxy, transport, dataDir } = await setup(adapter);
    const { cut, uploadsSent } = cutFirstUpload(adapter, transport, proxy, at);
    // Drops nothing: counts the acks the server sends, lost on the way or not.
    const acks = dropAcks(server.backend, { share: 0 });
    cleanups.push(() => acks.restore());
    const client = createClient({ transport });
    cleanups.push(() => client.stop());
    const deadLetters: string[] = [];
    client.on('outbox:dead-letter', (e) => deadLetters.push(e.id));
    await client.start();
    await client.sendText('before');
    await until(drained(client), 'the first message acknowledged');
    const acksBefore = acks.seen;

    const bytes = photo(at(1_000_000));
    const image = await client.sendImage({ mime: 'image/png', bytes });
    await client.sendText('after-1');
    await client.sendText('after-2');
    const uploadSize = await within(cut, 'the cut');
    await until(drained(client), 'every command acknowledged');

    expect(uploadSize).toBeGreaterThan(PHOTO_BYTES);
    expect(proxy.stats().cuts).toBe(1);
    // The cut landed where it was meant to: the upload went again, and the server had the first
    // attempt whole only when the cut came after its last byte. Then: the photo, the image, 2 texts.
    expect(uploadsSent()).toBeGreaterThanOrEqual(2);
    expect(acks.seen - acksBefore).toBe(photoAcks + 3);
    expect(deadLetters).toEqual([]);
    const conversationId = client.getSnapshot().conversationId!;
    const mine = server.backend.messagesOf(conversationId).filter((m) => m.author.role === 'buyer');
    expect(mine.map((m) => (m.body.kind === 'text' ? m.body.text : m.body.kind))).toEqual(['before', 'image', 'after-1', 'after-2']);
    const imageMessage = mine[1]!;
    expect(imageMessage.clientId).toBe(image.id);
    if (imageMessage.body.kind !== 'image' || !imageMessage.body.url) throw new Error('not an image message with a url');
    expect(photoRecords(dataDir, imageMessage.body.photoId)).toHaveLength(1);
    expect(sha256(await fetchBytes(server, imageMessage.body.url))).toBe(sha256(bytes));
    // And the buyer's own view shows it once.
    expect(client.getSnapshot().messages.filter((m) => m.body.kind === 'image')).toHaveLength(1);
  });
});
