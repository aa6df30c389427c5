import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import {
  createClient,
  parseFrameText,
  validateClientFrame,
  validateServerFrame,
  XiaoerError,
  type ClientState,
} from '@xiaoer/core';
import { MockTransport, messageFrame, readyFrame } from '@xiaoer/core/test';
import { DEMO_BUYER, demoShop } from '@xiaoer/adapters/memory';
import { seedFromEnv, seededRandom, type SeededRandom } from '../node_modules/@xiaoer/adapters/src/testing/random.js';
import { buyerIdentity } from './identity.js';
import { startServer, type RunningServer } from './server.js';

/**
 * Malformed frames, fed to the reference server over WebSocket and over HTTP (POST, and the SSE
 * stream's `hello`), and to core's client: random bytes, truncated JSON, a wrong type in every field
 * of every frame kind, missing fields, 1 MB strings, deep nesting, unknown kinds, prototype keys,
 * NaN / ±Infinity / -0 where numbers go. Nothing may throw or reject unhandled; the server answers
 * each malformed frame with an `error` or `nack` and keeps answering `ping`; the client's state does
 * not change and it reports one typed `protocol` error per frame.
 *
 * Seeded: `XIAOER_FUZZ_SEED=<seed>` replays a run; `XIAOER_FUZZ_CASES` sets the random cases per target.
 */

const SEED = seedFromEnv('XIAOER_FUZZ_SEED');
const RANDOM_CASES = Number(process.env.XIAOER_FUZZ_CASES ?? 700);
const MB = 1 << 20;

// ------------------------------------------------------------------ nothing escapes

const escaped: string[] = [];
const onUncaught = (error: unknown) => escaped.push(`uncaught: ${String((error as Error)?.stack ?? error)}`);
const onRejection = (reason: unknown) => escaped.push(`unhandled rejection: ${String((reason as Error)?.stack ?? reason)}`);
beforeAll(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  console.log(`[fuzz] seed ${SEED} (XIAOER_FUZZ_SEED=${SEED} replays it)`);
});
beforeEach(() => {
  escaped.length = 0;
});
afterAll(() => {
  if (validatorThrew.length > 0) console.log(`[fuzz] core's validators threw ${validatorThrew.length} times (caught at the boundaries): ${validatorThrew[0]}`);
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onRejection);
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function notPolluted() {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted, 'Object.prototype was polluted').toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  expect((Array.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
}

// ------------------------------------------------------------------ valid frames to start from

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Frames = Record<string, Record<string, unknown>>;

const shop = demoShop(Date.now());
const ORDER = shop.orders.find((o) => o.buyerId === DEMO_BUYER.id && o.status === 'awaiting-shipment') ?? shop.orders[0]!;
const CASE = shop.cases[0]!.case;
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** One valid frame of every client → server kind and command / query type. */
function clientFrames(identity: Record<string, unknown>): Frames {
  const command = (id: string, body: Record<string, unknown>) => ({ v: 1, kind: 'command', id, command: body });
  const query = (id: string, body: Record<string, unknown>) => ({ v: 1, kind: 'query', id, query: body });
  return {
    'session.start': { v: 1, kind: 'session.start', visitor: { visitorId: 'v_fuzz', name: 'Fuzz', buyer: identity }, afterSeq: 0, locale: 'en' },
    'message.send text': command('c_text', { type: 'message.send', body: { kind: 'text', text: 'hello' } }),
    'message.send image': command('c_image', { type: 'message.send', body: { kind: 'image', photoId: 'p_fuzz' } }),
    'message.send order-card': command('c_card', { type: 'message.send', body: { kind: 'order-card', orderId: ORDER.id } }),
    'handoff.request': command('c_handoff', { type: 'handoff.request' }),
    'handoff.cancel': command('c_cancel_handoff', { type: 'handoff.cancel' }),
    'message.leave': command('c_leave', { type: 'message.leave', contact: 'fuzz@example.com', text: 'call me' }),
    'faq.feedback': command('c_feedback', { type: 'faq.feedback', messageId: 'm_1', helpful: true }),
    'photo.upload': command('p_fuzz', { type: 'photo.upload', photoId: 'p_fuzz', mime: 'image/png', data: PNG }),
    'order.change-address': command('c_address', {
      type: 'order.change-address',
      orderId: ORDER.id,
      address: { name: '王小明', phone: '13800138000', region: '浙江省 杭州市 西湖区', line1: '文三路 1 号', line2: '2 楼', postalCode: '310000' },
    }),
    'order.cancel': command('c_order_cancel', { type: 'order.cancel', orderId: 'XE-not-mine' }),
    'case.open': command('c_case', { type: 'case.open', orderId: ORDER.id, request: CASE.request as unknown as Json }),
    'case.act ship-return': command('c_ship', { type: 'case.act', caseId: CASE.id, event: { type: 'ship-return', carrier: 'SF', trackingNumber: 'SF123' } }),
    'case.act withdraw': command('c_withdraw', { type: 'case.act', caseId: 'CASE-none', event: { type: 'withdraw', note: 'never mind' } }),
    'rating.submit': command('c_rating', { type: 'rating.submit', rating: { sessionId: 's_1', score: 5, tags: ['fast'], comment: 'thanks' } }),
    'complaint.submit': command('c_complaint', { type: 'complaint.submit', complaint: { category: 'service-attitude', text: 'slow', orderId: ORDER.id } }),
    'guest.code.request': command('c_guest', { type: 'guest.code.request', orderId: 'XE-none' }),
    'orders.list': query('q_orders', { type: 'orders.list', cursor: 'x', limit: 20 }),
    'order.get': query('q_order', { type: 'order.get', orderId: ORDER.id }),
    'cases.list': query('q_cases', { type: 'cases.list' }),
    'faq.entries': query('q_faq', { type: 'faq.entries', locale: 'en' }),
    'messages.page': query('q_page', { type: 'messages.page', beforeSeq: 5, limit: 10 }),
    'guest.order': query('q_guest', { type: 'guest.order', orderId: ORDER.id, code: '123456' }),
    signal: { v: 1, kind: 'signal', signal: { type: 'typing', on: true } },
    ping: { v: 1, kind: 'ping', id: 'p_1' },
  };
}

/** One valid frame of every server → client kind and event type. */
function serverFrames(): Frames {
  const event = (seq: number, e: Record<string, unknown>) => ({ v: 1, kind: 'event', conversationId: 'conv_test', seq, event: e });
  const msg = (seq: number, body: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    event(seq, { type: 'message.created', message: { id: `m_${seq}`, conversationId: 'conv_test', seq, author: { role: 'bot', name: 'Xiaoer' }, body, createdAt: 1_700_000_000_000, ...extra } });
  return {
    'session.ready': readyFrame({ lastSeq: 3, buyer: { id: 'buyer-demo', name: 'Wang' }, agentsAvailable: true, routing: { phase: 'queued', position: 2, etaSeconds: 60 } }) as Record<string, unknown>,
    'message text': msg(10, { kind: 'text', text: 'hi', suggestions: [{ label: 'Ask a person', action: 'handoff' }, { label: 'Refund', action: 'send-text', text: 'refund' }], faqId: 'faq-1' }),
    'message buyer echo': msg(11, { kind: 'text', text: 'mine' }, { clientId: 'c_x', author: { role: 'buyer' } }),
    'message notice': msg(12, { kind: 'notice', text: 'shipped', ref: { type: 'order', id: ORDER.id } }),
    'message image': msg(13, { kind: 'image', photoId: 'p_1', url: '/xiaoer/photos/abc', width: 10, height: 10 }),
    'message order-card': msg(14, { kind: 'order-card', card: { orderId: ORDER.id, title: 'Tea', itemCount: 2, total: { amount: 100, currency: 'CNY' }, status: 'shipped', imageUrl: 'https://x.example/a.png' } }),
    'message product-card': msg(15, { kind: 'product-card', productId: 'sku-1', title: 'Tea', price: { amount: 100, currency: 'CNY' }, imageUrl: '/a.png', url: 'https://x.example/p' }),
    'routing agent': event(16, { type: 'routing.changed', routing: { phase: 'agent', agent: { id: 'a1', name: 'Li' }, sessionId: 's_1' } }),
    'routing offline': event(17, { type: 'routing.changed', routing: { phase: 'offline', reason: 'closed-hours' } }),
    'order.updated': event(18, { type: 'order.updated', order: ORDER as unknown as Json }),
    'case.updated': event(19, { type: 'case.updated', case: CASE as unknown as Json }),
    ack: { v: 1, kind: 'ack', id: 'c_ack', result: { caseId: 'CASE-1' } },
    result: { v: 1, kind: 'result', id: 'q_1', result: { orders: [], nextCursor: null } },
    nack: { v: 1, kind: 'nack', id: 'c_nack', error: { code: 'refused', message: 'no', retryable: false, reason: 'already-shipped', fields: [{ path: 'a', code: 'b' }], retryAfterMs: 10 } },
    signal: { v: 1, kind: 'signal', conversationId: 'conv_test', signal: { type: 'typing', on: true, by: { role: 'agent', name: 'Li' } } },
    error: { v: 1, kind: 'error', error: { code: 'protocol', message: 'bad', retryable: false } },
    pong: { v: 1, kind: 'pong', id: 'p_1' },
  };
}

// ------------------------------------------------------------------ mutations

/** A fuzz case: a value (serialised for the wire, handed as is to the client), raw text, or raw bytes. */
type Case = { label: string } & ({ value: unknown; raw?: boolean; wire?: string } | { text: string } | { bytes: Buffer; binary: boolean });

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: Path[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    out.push([...prefix, key]);
    out.push(...pathsOf(child, [...prefix, key]));
  }
  return out;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A copy of `root` with the value at `path` replaced (or removed when `remove`). */
function setAt(root: unknown, path: Path, next: unknown, remove = false): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else {
    // defineProperty, so that a key named __proto__ becomes an own property, as JSON.parse makes it.
    Object.defineProperty(node, last, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function getAt(root: unknown, path: Path): unknown {
  let node = root as Record<string | number, unknown>;
  for (const key of path) node = node[key] as Record<string | number, unknown>;
  return node;
}

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const DEEP_MARK = '\u0001deep\u0001';

function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** An object with an own `__proto__` (or `constructor`) key, as JSON.parse would make it. */
function pollutionKeys(rng: SeededRandom): Record<string, unknown> {
  return rng.pick([
    () => JSON.parse('{"__proto__":{"polluted":"yes"}}') as Record<string, unknown>,
    () => JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as Record<string, unknown>,
    () => JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}') as Record<string, unknown>,
  ])();
}

const WRONG: readonly (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => '',
  () => 'x',
  () => '\u0000\ud800',
  () => [],
  () => [1, 'a'],
  () => ({}),
  () => ({ nested: { value: 1 } }),
];
const NUMBERS: readonly number[] = [NaN, Infinity, -Infinity, -0, 1e308, -1e308, 2 ** 53 + 2, 0.5, -1, Number.MIN_VALUE];

/** Random printable text that survives encodeURIComponent (no lone surrogates). */
function randomWord(rng: SeededRandom, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(rng.int(0x21, 0xd7ff));
  return s;
}

function randomText(rng: SeededRandom, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(rng.int(0, 0xffff));
  return s;
}

/**
 * Writes JSON the way a broken peer might: NaN and ±Infinity as bare words (not JSON at all), -0
 * as `-0`. JSON.stringify would quietly turn them into null; this keeps them.
 */
function rawJson(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined) return 'null';
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(rawJson).join(',')}]`;
  return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${rawJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Every field of every frame kind with a wrong type, removed, and (for numbers) NaN, ±Infinity,
 * -0 and friends; then `random` seeded cases of every family.
 */
function makeCases(frames: Frames, rng: SeededRandom, random: number, { wire }: { wire: boolean }): Case[] {
  const cases: Case[] = [];
  const names = Object.keys(frames);
  // Found by this fuzz once, kept for good: a version nested deep enough to overflow
  // JSON.stringify, and long enough to make an unbounded error message.
  const first = frames[names[0]!]!;
  for (const depth of [10_000, 50_000]) {
    cases.push({ label: `regression: "v" nested ${depth} deep`, value: { ...first, v: deep(depth, 'array') }, wire: `{"v":${'['.repeat(depth)}1${']'.repeat(depth)}}` });
  }
  cases.push({ label: 'regression: "v" of 5,000 characters', value: { ...first, v: 'v'.repeat(5_000) } });
  for (const name of names) {
    const base = frames[name]!;
    for (const path of pathsOf(base)) {
      const original = getAt(base, path);
      const label = `${name} @ ${path.join('.')}`;
      const wrong = WRONG.map((make) => make()).filter((w) => jsonType(w) !== jsonType(original));
      cases.push({ label: `${label}: wrong type`, value: setAt(base, path, rng.pick(wrong)) });
      cases.push({ label: `${label}: missing`, value: setAt(base, path, undefined, true) });
      if (typeof original === 'number') {
        const n = rng.pick(NUMBERS);
        cases.push({ label: `${label}: ${Object.is(n, -0) ? '-0' : String(n)}`, value: setAt(base, path, n), raw: true });
      }
    }
  }
  const families = { bytes: 2, truncated: 3, wrongType: 4, number: 3, unknownKind: 2, pollution: 2, deep: 1, huge: 0.4, notObject: 1 } as const;
  for (let i = 0; i < random; i++) {
    const name = rng.pick(names);
    const base = frames[name]!;
    const paths = pathsOf(base);
    const path = rng.pick(paths);
    const family = rng.weighted(families);
    const label = `random #${i} ${family} ${name}`;
    switch (family) {
      case 'bytes':
        if (wire && rng.chance(0.5)) {
          const bytes = Buffer.alloc(rng.int(0, 300));
          for (let b = 0; b < bytes.length; b++) bytes[b] = rng.int(0, 255);
          cases.push({ label, bytes, binary: rng.chance(0.5) });
        } else cases.push({ label, text: randomText(rng, rng.int(0, 300)) });
        break;
      case 'truncated': {
        const text = JSON.stringify(base);
        cases.push({ label, text: text.slice(0, rng.int(0, text.length - 1)) });
        break;
      }
      case 'wrongType':
        cases.push({ label: `${label} @ ${path.join('.')}`, value: setAt(base, path, rng.pick(WRONG)()) });
        break;
      case 'number': {
        const numeric = paths.filter((p) => typeof getAt(base, p) === 'number');
        const at = numeric.length > 0 ? rng.pick(numeric) : ['v'];
        cases.push({ label: `${label} @ ${at.join('.')}`, value: setAt(base, at, rng.pick(NUMBERS)), raw: true });
        break;
      }
      case 'unknownKind': {
        const keys = paths.filter((p) => ['kind', 'type', 'phase', 'role', 'action', 'mime', 'v'].includes(String(p[p.length - 1])));
        const at = rng.pick(keys);
        cases.push({ label: `${label} @ ${at.join('.')}`, value: setAt(base, at, rng.pick(['', 'Message.Send', 'unknown', 'session.ready', 'event', 'constructor', '__proto__', 'toString', 2])) });
        break;
      }
      case 'pollution': {
        // Prototype keys on the frame itself or on any object inside it.
        const objects: Path[] = [[], ...paths.filter((p) => jsonType(getAt(base, p)) === 'object')];
        const at = rng.pick(objects);
        const extra = pollutionKeys(rng);
        let value: unknown = clone(base);
        for (const key of Object.keys(extra)) value = at.length === 0 ? setAt(value, [key], extra[key]) : setAt(value, [...at, key], extra[key]);
        cases.push({ label: `${label} @ ${at.join('.') || '(frame)'}`, value });
        break;
      }
      case 'deep': {
        const depth = rng.pick([100, 1_000, 10_000, 50_000]);
        const shape = rng.chance(0.5) ? 'array' : 'object';
        // JSON.stringify cannot write 10,000 levels (stack): the wire text is spliced in by hand.
        const nested = shape === 'array' ? `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
        const wire = JSON.stringify(setAt(base, path, DEEP_MARK)).replace(JSON.stringify(DEEP_MARK), nested);
        cases.push({ label: `${label} @ ${path.join('.')} depth ${depth}`, value: setAt(base, path, deep(depth, shape)), wire });
        break;
      }
      case 'huge': {
        const strings = paths.filter((p) => typeof getAt(base, p) === 'string');
        const at = strings.length > 0 ? rng.pick(strings) : path;
        cases.push({ label: `${label} @ ${at.join('.')} (1 MB)`, value: setAt(base, at, 'x'.repeat(MB)) });
        break;
      }
      case 'notObject':
        cases.push({ label, value: rng.pick<unknown>([null, 0, 'ping', [], [base], true, -0]) });
        break;
    }
  }
  return cases;
}

/** The text a case puts on the wire (or its raw bytes). */
function wireData(c: Case): string | Buffer {
  if ('bytes' in c) return c.bytes;
  if ('text' in c) return c.text;
  if (c.wire !== undefined) return c.wire;
  return c.raw ? rawJson(c.value) : (JSON.stringify(c.value) ?? 'undefined');
}

/** Whether the server must call this frame malformed (what it parses is what core validates). */
function malformedForServer(data: string | Buffer, c: Case): boolean {
  if ('bytes' in c && c.binary) return true;
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const parsed = parseFrameText(text);
  if (!parsed.ok) return true;
  try {
    return !validateClientFrame(parsed.value).ok;
  } catch (error) {
    validatorThrew.push(`validateClientFrame threw ${String(error)}`);
    return true;
  }
}

/** Calls to core's validators that threw (they promise never to): reported, and a failure. */
const validatorThrew: string[] = [];
function validServerFrame(value: unknown): boolean {
  try {
    return validateServerFrame(value).ok;
  } catch (error) {
    validatorThrew.push(`validateServerFrame threw ${String(error)}`);
    return false;
  }
}

// ------------------------------------------------------------------ the server

async function referenceServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-fuzz-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {} });
  cleanups.push(() => server.close());
  return server;
}

interface Tally {
  cases: number;
  malformed: number;
  answered: number;
  closed: Record<string, number>;
  refused: Record<string, number>;
}

const summary = (t: Tally) =>
  `${t.cases} cases, ${t.malformed} malformed (each answered with error/nack: ${t.answered}), ` +
  `closed by the server: ${JSON.stringify(t.closed)}, HTTP refusals: ${JSON.stringify(t.refused)}`;

describe('fuzzing malformed frames', () => {
  it('the reference server over WebSocket answers every malformed frame and keeps answering ping', { timeout: 60_000 }, async () => {
    const server = await referenceServer();
    const identity = buyerIdentity(server.shopSecret, DEMO_BUYER, Date.now());
    const frames = clientFrames(identity as unknown as Record<string, unknown>);
    for (const [name, frame] of Object.entries(frames)) expect(validateClientFrame(frame).ok, `base frame ${name} is valid`).toBe(true);
    const cases = makeCases(frames, seededRandom(SEED), RANDOM_CASES, { wire: true });
    const tally: Tally = { cases: cases.length, malformed: 0, answered: 0, closed: {}, refused: {} };

    const invalidAnswers: string[] = [];
    let ws: WebSocket | null = null;
    let inbox: { kind: string; id?: string }[] = [];
    let closedWith: number | null = null;
    const open = async () => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/xiaoer/ws`);
      cleanups.push(() => socket.terminate());
      socket.on('error', () => {});
      socket.on('message', (d) => {
        const text = d.toString();
        const parsed = parseFrameText(text);
        const frame = parsed.ok ? (parsed.value as { kind: string; id?: string }) : { kind: '<not a frame>' };
        // What the server says must itself be a frame a client accepts (bounded, well-typed).
        const checked = parsed.ok ? validateServerFrame(parsed.value) : parsed;
        if (!checked.ok) invalidAnswers.push(`${checked.error.message} (${text.length} chars: ${text.slice(0, 120)}…)`);
        inbox.push(frame);
      });
      socket.on('close', (code) => (closedWith = code));
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      closedWith = null;
      inbox = [];
      socket.send(JSON.stringify(frames['session.start']));
      ws = socket;
    };
    const wait = async (check: () => boolean, what: string) => {
      for (let i = 0; i < 500 && !check(); i++) await sleep(i < 20 ? 0 : 2);
      if (!check()) throw new Error(`no ${what} from the server`);
    };
    await open();

    let n = 0;
    for (const c of cases) {
      if (!ws || closedWith !== null) await open();
      const socket = ws!;
      const data = wireData(c);
      const malformed = malformedForServer(data, c);
      if (malformed) tally.malformed++;
      inbox = [];
      if (typeof data === 'string') socket.send(data);
      else socket.send(data, { binary: 'bytes' in c && c.binary });
      const pingId = `fz_${++n}`;
      socket.send(JSON.stringify({ v: 1, kind: 'ping', id: pingId }));
      await wait(() => closedWith !== null || inbox.some((f) => f.kind === 'pong' && f.id === pingId), `pong after "${c.label}"`);
      if (closedWith !== null) {
        // The socket layer refuses a frame over 256 KiB (1009) or not UTF-8 (1007): by closing.
        tally.closed[closedWith] = (tally.closed[closedWith] ?? 0) + 1;
        expect([1007, 1009], `closed with ${closedWith} after "${c.label}"`).toContain(closedWith);
        continue;
      }
      if (malformed) {
        const answer = inbox.findIndex((f) => f.kind === 'error' || f.kind === 'nack');
        expect(answer, `no error/nack for "${c.label}"`).toBeGreaterThanOrEqual(0);
        tally.answered++;
      }
    }
    // Still alive and still serving, on a fresh connection too.
    await open();
    ws!.send(JSON.stringify({ v: 1, kind: 'ping', id: 'final' }));
    await wait(() => inbox.some((f) => f.kind === 'pong' && f.id === 'final'), 'final pong');
    console.log(`[fuzz websocket] ${summary(tally)}`);
    expect(escaped).toEqual([]);
    expect(invalidAnswers.slice(0, 5), `${invalidAnswers.length} answers the server sent are not valid frames`).toEqual([]);
    notPolluted();
  });

  it('the reference server over HTTP answers every malformed POST and stream hello, and keeps answering ping', { timeout: 60_000 }, async () => {
    const server = await referenceServer();
    const identity = buyerIdentity(server.shopSecret, DEMO_BUYER, Date.now());
    const frames = clientFrames(identity as unknown as Record<string, unknown>);
    const rng = seededRandom(SEED ^ 0x9e3779b9);
    const cases = makeCases(frames, rng, Math.round(RANDOM_CASES * 0.6), { wire: true });
    const tally: Tally = { cases: 0, malformed: 0, answered: 0, closed: {}, refused: {} };
    const base = `${server.url}/xiaoer/http`;
    const invalidAnswers: string[] = [];
    const hello = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

    /** An SSE stream read by hand: its connection id and every data frame. */
    const openStream = (helloParam: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; id: string | null; frames: { kind: string; id?: string }[]; req: ClientRequest; res: IncomingMessage }>((resolve, reject) => {
        const frames: { kind: string; id?: string }[] = [];
        const req = request(`${base}/events?hello=${helloParam}`, { headers }, (res) => {
          let buffer = '';
          let id: string | null = null;
          let settled = false;
          res.setEncoding('utf8');
          const done = () => {
            if (settled) return;
            settled = true;
            resolve({ status: res.statusCode ?? 0, id, frames, req, res });
          };
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const lines = block.split('\n');
              const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
              const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
              if (event === 'connection') {
                id = data;
                done();
              } else if (!event && data) {
                const parsed = parseFrameText(data);
                const checked = parsed.ok ? validateServerFrame(parsed.value) : parsed;
                if (!checked.ok) invalidAnswers.push(`${checked.error.message} (${data.length} chars: ${data.slice(0, 120)}…)`);
                frames.push(parsed.ok ? (parsed.value as { kind: string; id?: string }) : { kind: '<not a frame>' });
              }
            }
          });
          res.on('error', () => {});
          if ((res.statusCode ?? 0) !== 200) {
            res.resume();
            done();
          }
        });
        req.on('error', (e) => (String(e).includes('socket hang up') || String(e).includes('aborted') ? undefined : reject(e)));
        req.end();
      });

    const post = async (connection: string, body: string | Buffer): Promise<number> => {
      try {
        const res = await fetch(`${base}/frames?connection=${encodeURIComponent(connection)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : new Uint8Array(body) });
        await res.arrayBuffer();
        return res.status;
      } catch {
        // The server cut an oversized upload short (413 and then the socket): a refusal too.
        return -1;
      }
    };

    const stream = await openStream(hello(frames['session.start']));
    expect(stream.status).toBe(200);
    cleanups.push(() => void stream.req.destroy());
    const wait = async (check: () => boolean, what: string) => {
      for (let i = 0; i < 500 && !check(); i++) await sleep(i < 20 ? 0 : 2);
      if (!check()) throw new Error(`no ${what} from the server`);
    };
    await wait(() => stream.frames.some((f) => f.kind === 'session.ready'), 'session.ready');

    // POSTed frames.
    let n = 0;
    for (const c of cases) {
      if ('bytes' in c && c.binary) continue; // HTTP bodies have no binary/text distinction
      tally.cases++;
      const data = wireData(c);
      const malformed = malformedForServer(data, c);
      const tooBig = Buffer.byteLength(data) > 256 * 1024;
      if (malformed && !tooBig) tally.malformed++;
      const before = stream.frames.length;
      const status = await post(stream.id!, data);
      if (status !== 202) tally.refused[status] = (tally.refused[status] ?? 0) + 1;
      if (tooBig) expect([413, -1], `oversized POST "${c.label}"`).toContain(status);
      else expect(status, `POST "${c.label}"`).toBe(202);
      const pingId = `fz_${++n}`;
      expect(await post(stream.id!, JSON.stringify({ v: 1, kind: 'ping', id: pingId }))).toBe(202);
      await wait(() => stream.frames.some((f) => f.kind === 'pong' && f.id === pingId), `pong after "${c.label}"`);
      if (malformed && !tooBig) {
        const answered = stream.frames.slice(before).some((f) => f.kind === 'error' || f.kind === 'nack');
        expect(answered, `no error/nack for "${c.label}"`).toBe(true);
        tally.answered++;
      }
    }

    // The stream's own input: the hello in its URL and the Last-Event-ID header.
    const hellos = makeCases({ 'session.start': frames['session.start']! }, rng, 60, { wire: false });
    let streams = 0;
    for (const c of hellos) {
      const data = wireData(c);
      if (typeof data !== 'string' || data.length > 64 * 1024) continue;
      const lastEventId = rng.pick(['', '5', '-1', 'NaN', '1e309', '9007199254740993', randomWord(rng, 5)]);
      const s = await openStream(hello(data), lastEventId ? { 'last-event-id': encodeURIComponent(lastEventId) } : {});
      streams++;
      expect([200, 400, 431], `stream with hello "${c.label}"`).toContain(s.status);
      if (s.status === 200) {
        await wait(() => s.frames.some((f) => f.kind === 'session.ready' || f.kind === 'error'), `answer to hello "${c.label}"`);
        tally.refused['stream-error'] = (tally.refused['stream-error'] ?? 0) + (s.frames.some((f) => f.kind === 'error') ? 1 : 0);
      } else tally.refused['stream-400'] = (tally.refused['stream-400'] ?? 0) + 1;
      s.req.destroy();
    }
    tally.cases += streams;

    expect(await post(stream.id!, JSON.stringify({ v: 1, kind: 'ping', id: 'final' }))).toBe(202);
    await wait(() => stream.frames.some((f) => f.kind === 'pong' && f.id === 'final'), 'final pong');
    console.log(`[fuzz http] ${summary(tally)} (${streams} stream hellos)`);
    expect(escaped).toEqual([]);
    expect(invalidAnswers.slice(0, 5), `${invalidAnswers.length} answers the server sent are not valid frames`).toEqual([]);
    notPolluted();
  });

  it("core's client ignores every malformed frame, keeps its state and reports a typed protocol error", { timeout: 60_000 }, async () => {
    const transport = new MockTransport();
    const client = createClient({ transport, locale: 'en', ackTimeoutMs: 60_000 });
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    await client.start();
    transport.open();
    transport.receive(readyFrame({ lastSeq: 2 }));
    transport.receive(messageFrame(1));
    transport.receive(messageFrame(2));
    const pending = await client.sendText('waiting for its echo');
    expect(client.getSnapshot().messages).toHaveLength(2);
    expect(errors).toEqual([]);

    const frames = serverFrames();
    for (const [name, frame] of Object.entries(frames)) expect(validateServerFrame(frame).ok, `base frame ${name} is valid`).toBe(true);
    const cases = makeCases(frames, seededRandom(SEED ^ 0x85ebca6b), RANDOM_CASES * 2, { wire: false });
    let malformed = 0;
    let valid = 0;
    for (const c of cases) {
      const before: ClientState = client.getSnapshot();
      const errorsBefore = errors.length;
      // Text goes through the same parse a transport does; a value is what a transport hands over.
      if ('text' in c) {
        const parsed = parseFrameText(c.text);
        if (parsed.ok) transport.receive(parsed.value);
        else transport.emit({ type: 'error', error: parsed.error });
        if (parsed.ok && validServerFrame(parsed.value)) {
          valid++;
          continue;
        }
      } else if ('value' in c) {
        if (validServerFrame(c.value)) {
          // A mutation that is still a valid frame (say, a field removed that is optional): it may
          // change the state; that is not what this test is about.
          valid++;
          transport.receive(c.value);
          continue;
        }
        transport.receive(c.value);
      } else continue;
      malformed++;
      expect(client.getSnapshot(), `state changed by "${c.label}"`).toBe(before);
      expect(errors.length, `error events for "${c.label}"`).toBe(errorsBefore + 1);
      const error = errors[errors.length - 1];
      expect(XiaoerError.isInstance(error), `typed error for "${c.label}"`).toBe(true);
      expect((error as XiaoerError).code).toBe('protocol');
    }
    // Still working after a reconnect: the pending message goes out again, its echo confirms it,
    // and the outbox empties. (A reconnect, because mutations that stay valid may have moved the
    // state on — e.g. an event with `seq` 1e308, which the schema accepts — and a new session is
    // how the client finds its way back from that.)
    const lastSeqAfterFuzz = client.getSnapshot().lastSeq;
    transport.drop();
    transport.open();
    transport.receive(readyFrame({ lastSeq: 3 }));
    expect(transport.commands().at(-1)?.id).toBe(pending.id);
    transport.receive(messageFrame(3, { id: 'm_3', clientId: pending.id, author: { role: 'buyer' }, body: { kind: 'text', text: 'waiting for its echo' } }));
    await sleep(0);
    expect(client.getSnapshot().outbox).toEqual([]);
    expect(client.getSnapshot().connection.status).toBe('online');
    console.log(
      `[fuzz client] ${cases.length} cases: ${malformed} malformed (state unchanged, ${malformed} typed protocol errors), ` +
        `${valid} still valid after mutation (lastSeq after them: ${lastSeqAfterFuzz})`,
    );
    client.stop();
    expect(escaped).toEqual([]);
    notPolluted();
  });

  // The codec once described a wrong `v` with JSON.stringify, which throws on a value nested
  // ~10,000 deep; the client and the reference server also catch a throwing validator at their
  // boundaries, as a second line.
  it("core's validators never throw, even on a version nested 10,000 deep", () => {
    const v = deep(10_000, 'array');
    expect(() => validateServerFrame({ v, kind: 'pong', id: 'p' })).not.toThrow();
    expect(() => validateClientFrame({ v, kind: 'ping', id: 'p' })).not.toThrow();
  });
});
