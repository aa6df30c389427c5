import { PROTOCOL_VERSION, validateServerFrame, type BuyerIdentity } from '@xiaoer/core';
import { CheckSkip, clip, fail } from './failure.js';
import { describeFrame, type RawLink, type Received, type WireFrame } from './links.js';
import { errorCode, eventsOf, isEvent, seqList, sessionStart, type CheckContext, type Session } from './context.js';

/** One requirement of the protocol, as a runnable check. */
export interface CheckDefinition {
  readonly id: string;
  readonly title: string;
  /** The rule, quoted from `docs/protocol.md`. */
  readonly requirement: string;
  /** Resolves when the backend meets the requirement; throws `CheckFailure` or `CheckSkip` otherwise. */
  readonly run: (ctx: CheckContext) => Promise<void>;
}

const seqOf = (r: Received) => r.frame.seq as number;

/** Waits until a session's replay (everything after its `afterSeq`, up to `lastSeq`) is in, and returns its events. */
async function replay(ctx: CheckContext, s: Session, afterSeq: number): Promise<Received[]> {
  if (s.lastSeq > afterSeq) {
    await s.link.waitFor((f) => isEvent(f) && f.conversationId === s.conversationId && f.seq === s.lastSeq, `the replayed event #${s.lastSeq}`, s.afterReady);
  }
  await ctx.barrier(s.link);
  return eventsOf(s.link, s.conversationId, s.afterReady);
}

/** Checks that `seqs` runs from `first` to `last` by one, with nothing missing, repeated or out of order. */
function contiguityProblem(seqs: readonly number[], first: number): string | null {
  for (let i = 0; i < seqs.length; i++) {
    const expected = first + i;
    if (seqs[i] === expected) continue;
    const prev = i === 0 ? `the start (expected #${first})` : `#${seqs[i - 1]}`;
    return `#${seqs[i]} after ${prev}`;
  }
  return null;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const randomHex = (bytes: number) => Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A session started with an identity the shop did not sign (or signed long ago) must stay anonymous:
 * no `buyer` in `session.ready`, an `unauthorized` refusal, and no orders.
 */
async function expectIdentityRefused(ctx: CheckContext, label: string, claim: BuyerIdentity): Promise<void> {
  const link = await ctx.open(sessionStart({ visitorId: ctx.visitorId(), buyer: claim }));
  await link.waitFor((f) => f.kind === 'session.ready' || f.kind === 'error' || f.kind === 'nack', `session.ready or an "unauthorized" error for the ${label} identity`);
  try {
    await ctx.barrier(link);
  } catch (error) {
    // Refusing by closing the connection is a refusal too; anything else (a timeout) is not.
    if (link.endedBy === null) throw error;
  }
  const ready = link.frames.find((r) => r.frame.kind === 'session.ready');
  const buyer = ready?.frame.buyer;
  if (buyer !== undefined && buyer !== null) {
    fail(`no buyer in session.ready for a ${label} identity claiming "${claim.id}"`, `session.ready.buyer = ${clip(JSON.stringify(buyer))}: the server trusted a ${label} identity`);
  }
  const refusal = link.frames.find((r) => (r.frame.kind === 'error' || r.frame.kind === 'nack') && errorCode(r.frame) === 'unauthorized');
  if (!refusal) {
    const others = link.frames.filter((r) => r.frame.kind === 'error' || r.frame.kind === 'nack').map(describeFrame);
    fail(`an error with code "unauthorized" for the ${label} identity`, others.length > 0 ? others.join(', ') : `no error at all (${link.frames.map(describeFrame).slice(0, 4).join(', ') || 'nothing'})`);
  }
  if (!ready || link.endedBy !== null) return; // refused outright: there is no session to ask anything on
  const realOrder = await ctx.realOrderId();
  const queries = [{ type: 'orders.list' }, { type: 'order.get', orderId: realOrder ?? 'conformance-no-such-order' }];
  for (const query of queries) {
    const answer = await ctx.ask(link, query);
    const code = errorCode(answer.frame);
    if (answer.frame.kind === 'result') {
      fail(`${query.type} on a session with a ${label} identity to be refused (nack "unauthorized" or "not-found")`, `a result: ${clip(answer.text)}`);
    }
    if (code !== 'unauthorized' && code !== 'not-found') {
      fail(`${query.type} on a session with a ${label} identity to be refused with "unauthorized" or "not-found"`, `nack with code ${JSON.stringify(code)}`);
    }
  }
}

/** Sends one bad frame on an open session; the answer must be a `protocol` error, and the link must still work. */
async function expectProtocolError(ctx: CheckContext, what: string, bad: (id: string) => object | string): Promise<void> {
  const s = await ctx.session({ visitorId: ctx.visitorId() });
  await ctx.barrier(s.link);
  const id = ctx.id('bad');
  const from = s.link.frames.length;
  s.link.send(bad(id));
  const answer = await s.link.waitFor(
    (f) => f.kind === 'error' || f.kind === 'nack' || ((f.kind === 'pong' || f.kind === 'ack' || f.kind === 'result') && f.id === id),
    `an error or nack with code "protocol" for ${what}`,
    from,
  );
  if (answer.frame.kind !== 'error' && answer.frame.kind !== 'nack') {
    fail(`an error or nack with code "protocol" for ${what}`, `${describeFrame(answer)}: the frame was handled as if it were valid`);
  }
  if (errorCode(answer.frame) !== 'protocol') fail(`code "protocol" for ${what}`, describeFrame(answer));
  try {
    await ctx.barrier(s.link, `a pong after ${what} (the connection must keep working)`);
  } catch (error) {
    if (s.link.endedBy !== null) fail(`the connection to keep working after ${what}`, s.link.endedBy);
    throw error;
  }
}

const BAD_FRAME_RULE =
  'A frame of another version, of an unknown `kind`, with a wrong field type, or that is not JSON is a protocol error: … the server answers with an `error` frame. Neither side throws or drops its state.';

export const CHECKS: readonly CheckDefinition[] = [
  {
    id: 'session',
    title: 'session.start is answered by session.ready',
    requirement:
      '`session.start` opens (or resumes) the session; `session.ready` carries `conversationId`, `visitorId`, `lastSeq`, `routing`. Every frame has `"v": 1`.',
    async run(ctx) {
      const visitorId = ctx.visitorId();
      const link = await ctx.open(sessionStart({ visitorId }));
      const r = await link.waitFor((f) => f.kind === 'session.ready' || f.kind === 'error', 'session.ready');
      const f = r.frame;
      if (f.kind !== 'session.ready') fail('session.ready', describeFrame(r));
      if (f.v !== PROTOCOL_VERSION) fail(`"v": ${PROTOCOL_VERSION}`, `"v": ${JSON.stringify(f.v)}`);
      if (typeof f.conversationId !== 'string' || f.conversationId === '') fail('a conversationId', clip(r.text));
      if (f.visitorId !== visitorId) fail(`visitorId "${visitorId}" (the one sent)`, JSON.stringify(f.visitorId));
      if (typeof f.lastSeq !== 'number' || !Number.isInteger(f.lastSeq) || f.lastSeq < 0) fail('an integer lastSeq ≥ 0', JSON.stringify(f.lastSeq));
      if (typeof f.routing !== 'object' || f.routing === null || typeof f.routing.phase !== 'string') fail('a routing state with a phase', JSON.stringify(f.routing));
    },
  },
  {
    id: 'ping',
    title: 'ping is answered by pong with the same id',
    requirement: '`ping` | `id` | Keep-alive; answered by `pong`. — `pong` | `id` | Answer to `ping`.',
    async run(ctx) {
      const s = await ctx.session({ visitorId: ctx.visitorId() });
      const id = ctx.id('p');
      const from = s.link.frames.length;
      s.link.send({ v: PROTOCOL_VERSION, kind: 'ping', id });
      const r = await s.link.waitFor((f) => f.kind === 'pong', `a pong for ping ${id}`, from);
      if (r.frame.id !== id) fail(`pong with id "${id}"`, `pong with id ${JSON.stringify(r.frame.id)}`);
    },
  },
  {
    id: 'identity-forged',
    title: 'a forged buyer signature is refused',
    requirement:
      'The server refuses a missing, forged or expired signature (an `error` with code `unauthorized`) and the session continues as an anonymous visitor: a conversation, but no orders.',
    async run(ctx) {
      const valid = await ctx.identity();
      const id = valid?.id ?? 'conformance-buyer';
      const expires = Date.now() + 60 * 60_000;
      // A well-formed signature that is not the shop's (the valid one with a different expiry is forged too).
      await expectIdentityRefused(ctx, 'forged', { id, expires, signature: randomHex(32) });
    },
  },
  {
    id: 'identity-expired',
    title: 'an expired buyer signature is refused',
    requirement:
      'The server refuses a missing, forged or expired signature (an `error` with code `unauthorized`) and the session continues as an anonymous visitor: a conversation, but no orders.',
    async run(ctx) {
      const valid = await ctx.identity();
      const id = valid?.id ?? 'conformance-buyer';
      await expectIdentityRefused(ctx, 'expired', { id, expires: Date.now() - 60_000, signature: valid?.signature ?? randomHex(32) });
    },
  },
  {
    id: 'identity-valid',
    title: 'a valid buyer signature is accepted',
    requirement: '`session.ready` … `buyer` is the verified buyer. A logged-in buyer sees their orders.',
    async run(ctx) {
      const identity = await ctx.identity();
      if (!identity) throw new CheckSkip('no valid identity given (option `identity`, or --buyer-id/--buyer-expires/--buyer-signature)');
      const s = await ctx.session({ visitorId: ctx.visitorId(), buyer: identity });
      await ctx.barrier(s.link);
      const buyer = s.ready.buyer;
      if (!buyer || buyer.id !== identity.id) fail(`session.ready.buyer.id "${identity.id}"`, buyer ? clip(JSON.stringify(buyer)) : 'no buyer in session.ready');
      const refusal = s.link.frames.find((r) => r.frame.kind === 'error' && errorCode(r.frame) === 'unauthorized');
      if (refusal) fail('no "unauthorized" error for a valid identity', describeFrame(refusal));
      const answer = await ctx.ask(s.link, { type: 'orders.list' });
      const orders = (answer.frame.result as { orders?: unknown } | undefined)?.orders;
      if (answer.frame.kind !== 'result' || !Array.isArray(orders)) fail('orders.list answered with a result { orders: [...] }', describeFrame(answer));
    },
  },
  {
    id: 'identity-renew',
    title: 'a buyer identity is renewed by session.start on the open link',
    requirement:
      'The client … sends `session.start` again on the open link with [a fresh signature]. The server answers `session.ready` for the same conversation (with `afterSeq` current, nothing is replayed).',
    async run(ctx) {
      const identity = await ctx.identity();
      if (!identity) throw new CheckSkip('no valid identity given (option `identity`, or --buyer-id/--buyer-expires/--buyer-signature)');
      const visitorId = ctx.visitorId();
      const s = await ctx.session({ visitorId, buyer: identity });
      const before = ctx.sendText(s.link, 'conformance identity renewal: before');
      await ctx.acked(s.link, before, s.afterReady, `the ack of command ${before} before renewing`);
      await ctx.barrier(s.link);
      const afterSeq = Math.max(s.lastSeq, ...eventsOf(s.link, s.conversationId).map(seqOf));

      const renewed = (await ctx.identity()) ?? identity;
      const from = s.link.frames.length;
      s.link.send(sessionStart({ visitorId, conversationId: s.conversationId, afterSeq, buyer: renewed }));
      const r = await s.link.waitFor((f) => f.kind === 'session.ready' || f.kind === 'error', 'a second session.ready on the same link', from);
      const f = r.frame;
      if (f.kind !== 'session.ready') fail('session.ready for the renewed identity', describeFrame(r));
      if (f.conversationId !== s.conversationId) fail(`the same conversation ${s.conversationId}`, `session.ready for ${String(f.conversationId)}`);
      if (f.buyer?.id !== renewed.id) fail(`session.ready.buyer.id "${renewed.id}"`, f.buyer ? clip(JSON.stringify(f.buyer)) : 'no buyer in session.ready');
      const after = ctx.sendText(s.link, 'conformance identity renewal: after');
      await ctx.acked(s.link, after, from, `the ack of command ${after} after renewing`);
      await ctx.barrier(s.link);
      const replayed = eventsOf(s.link, s.conversationId, from).map(seqOf).filter((seq) => seq <= afterSeq);
      if (replayed.length > 0) fail(`no event at or below afterSeq=${afterSeq} replayed`, `#${seqList(replayed)}`);
      const refusal = s.link.frames.slice(from).find((x) => x.frame.kind === 'error' && errorCode(x.frame) === 'unauthorized');
      if (refusal) fail('no "unauthorized" error for the renewed identity', describeFrame(refusal));
    },
  },
  {
    id: 'idempotency',
    title: 'a resent command is acknowledged again and applied once',
    requirement:
      'A command received again — after a lost `ack`, a reconnect, a page reload or a server restart — is acknowledged again and not applied again.',
    async run(ctx) {
      const visitorId = ctx.visitorId();
      const id = ctx.id('idem');
      const text = `conformance idempotency ${id}`;
      const first = await ctx.session({ visitorId });
      const from = first.link.frames.length;
      for (let i = 0; i < 3; i++) ctx.sendText(first.link, text, id);
      let at = from;
      for (let i = 1; i <= 3; i++) {
        const ack = await ctx.acked(first.link, id, at, `ack ${i} of 3 for command ${id} (the same id sent 3 times)`);
        at = first.link.frames.indexOf(ack) + 1;
      }
      await ctx.barrier(first.link);
      const seen = eventsOf(first.link, first.conversationId).map(seqOf);
      first.link.close();

      // Again after reconnecting, as the outbox does when an ack was lost with the connection.
      const second = await ctx.session({ visitorId, conversationId: first.conversationId, afterSeq: Math.max(0, ...seen) });
      if (second.conversationId !== first.conversationId) fail(`the conversation ${first.conversationId} resumed`, `session.ready for ${second.conversationId}`);
      ctx.sendText(second.link, text, id);
      await ctx.acked(second.link, id, second.afterReady, `the ack of command ${id} resent after reconnecting`);
      await ctx.barrier(second.link);
      second.link.close();

      const all = await ctx.session({ visitorId, conversationId: first.conversationId, afterSeq: 0 });
      const history = await replay(ctx, all, 0);
      const created = history.filter((r) => r.frame.event?.type === 'message.created');
      const byClientId = created.filter((r) => r.frame.event?.message?.clientId === id).map(seqOf);
      const byText = created.filter((r) => r.frame.event?.message?.body?.text === text).map(seqOf);
      const expected = `exactly one message.created with clientId ${id} after sending the command 4 times (3 at once, 1 after reconnecting)`;
      if (byClientId.length === 0 && byText.length > 0) fail(expected, `${byText.length} message(s) with its text but no clientId (seq ${seqList(byText)})`);
      if (byClientId.length === 0) fail(expected, 'none: the message was not stored');
      if (byClientId.length > 1) fail(expected, `${byClientId.length}, at seq ${seqList(byClientId)}: the resent command was applied again`);
    },
  },
  {
    id: 'resume',
    title: 'resuming after a sequence replays exactly the later events',
    requirement: 'Events carry a gap-free `seq` per conversation. … On reconnect it sends `afterSeq` and receives exactly the events it missed.',
    async run(ctx) {
      const visitorId = ctx.visitorId();
      const first = await ctx.session({ visitorId });
      for (let i = 1; i <= 3; i++) {
        const id = ctx.sendText(first.link, `conformance resume ${i}`);
        await ctx.acked(first.link, id, first.afterReady);
      }
      await ctx.barrier(first.link);
      const original = new Map(eventsOf(first.link, first.conversationId).map((r) => [seqOf(r), r]));
      const last = Math.max(first.lastSeq, ...original.keys());
      first.link.close();
      if (last < 2) fail('at least 2 events after 3 messages', `lastSeq ${last}`);
      const k = Math.floor(last / 2);

      const resumed = await ctx.session({ visitorId, conversationId: first.conversationId, afterSeq: k });
      if (resumed.conversationId !== first.conversationId) fail(`the conversation ${first.conversationId} resumed`, `session.ready for ${resumed.conversationId}`);
      if (resumed.lastSeq < last) fail(`session.ready.lastSeq ≥ ${last}`, String(resumed.lastSeq));
      const got = (await replay(ctx, resumed, k)).map(seqOf);
      const want = range(k + 1, resumed.lastSeq);
      if (got.join() !== want.join()) {
        const old = got.filter((s) => s <= k);
        fail(
          `events ${seqList(want)} after afterSeq=${k}`,
          `${seqList(got)}${old.length > 0 ? ` — ${old.length} event(s) at or below afterSeq were replayed` : ''}`,
        );
      }
      for (const r of eventsOf(resumed.link, resumed.conversationId, resumed.afterReady)) {
        const before = original.get(seqOf(r));
        if (before && (before.frame.event?.type !== r.frame.event?.type || before.frame.event?.message?.id !== r.frame.event?.message?.id)) {
          fail(`event #${seqOf(r)} replayed as it was first sent`, `${describeFrame(before)} first, ${describeFrame(r)} on replay`);
        }
      }
      resumed.link.close();

      const upToDate = await ctx.session({ visitorId, conversationId: first.conversationId, afterSeq: resumed.lastSeq });
      const extra = (await replay(ctx, upToDate, resumed.lastSeq)).filter((r) => seqOf(r) <= resumed.lastSeq).map(seqOf);
      if (extra.length > 0) fail(`nothing replayed for afterSeq = lastSeq = ${resumed.lastSeq}`, `events ${seqList(extra)}`);
    },
  },
  {
    id: 'ordering',
    title: 'events are numbered 1, 2, 3… and buyer messages keep their order',
    requirement: '`seq` increases by one per event, per conversation. … Events carry a gap-free `seq` per conversation.',
    async run(ctx) {
      const s = await ctx.session({ visitorId: ctx.visitorId() });
      const tag = ctx.id('burst');
      const texts = Array.from({ length: 20 }, (_, i) => `conformance burst ${tag} #${String(i + 1).padStart(2, '0')}`);
      const ids = texts.map((text) => ctx.sendText(s.link, text));
      for (const id of ids) await ctx.acked(s.link, id, s.afterReady);
      await ctx.barrier(s.link);
      const events = eventsOf(s.link, s.conversationId, s.afterReady);
      const seqs = events.map(seqOf);
      const problem = contiguityProblem(seqs, 1);
      if (problem) fail('seq 1, 2, 3 … by one, with no gap or repeat (a fresh conversation, resumed from 0)', `${problem} in ${seqList(seqs)}`);
      const mine = events
        .filter((r) => r.frame.event?.type === 'message.created' && r.frame.event.message?.author?.role === 'buyer')
        .map((r) => r.frame.event?.message?.body?.text)
        .filter((t): t is string => typeof t === 'string' && t.includes(tag));
      if (mine.join('\n') !== texts.join('\n')) {
        const short = (list: readonly string[]) => list.map((t) => t.slice(-2)).join(' ');
        fail(`the 20 buyer messages once each, in the order sent (${short(texts)})`, `${mine.length} in this order: ${short(mine) || 'none'}`);
      }
    },
  },
  {
    id: 'error-malformed',
    title: 'a frame that is not JSON gets a protocol error',
    requirement: BAD_FRAME_RULE,
    run: (ctx) => expectProtocolError(ctx, 'a frame that is not JSON', () => 'this is not JSON {'),
  },
  {
    id: 'error-unknown-kind',
    title: 'a frame of an unknown kind gets a protocol error',
    requirement: BAD_FRAME_RULE,
    run: (ctx) => expectProtocolError(ctx, 'a frame of an unknown kind', (id) => ({ v: PROTOCOL_VERSION, kind: 'conformance.unknown', id })),
  },
  {
    id: 'error-version',
    title: 'a frame of another protocol version gets a protocol error',
    requirement: BAD_FRAME_RULE,
    run: (ctx) => expectProtocolError(ctx, 'a ping with "v": 2', (id) => ({ v: 2, kind: 'ping', id })),
  },
  {
    id: 'error-no-session',
    title: 'a command before session.start is refused as unauthorized',
    requirement: '`session.start` … Sent first on every connection. A command before it is refused with code `unauthorized`.',
    async run(ctx) {
      if (ctx.endpoint.transport !== 'websocket') throw new CheckSkip('over HTTP the stream itself opens with session.start');
      const link = await ctx.open(null);
      const id = ctx.id('early');
      ctx.sendText(link, 'conformance: sent before session.start', id);
      const answer = await link.waitFor((f) => ((f.kind === 'ack' || f.kind === 'nack') && f.id === id) || f.kind === 'error', 'a nack or error with code "unauthorized"');
      if (answer.frame.kind === 'ack') fail('the command refused with "unauthorized"', `ack ${id}: a command was applied without a session`);
      if (errorCode(answer.frame) !== 'unauthorized') fail('code "unauthorized"', describeFrame(answer));
    },
  },
  {
    id: 'isolation',
    title: "a visitor cannot resume another visitor's conversation",
    requirement:
      'An anonymous visitor only ever resumes their own conversation: a `conversationId` of someone else gives a new conversation (or a refusal), never the other one’s messages.',
    async run(ctx) {
      const owner = await ctx.session({ visitorId: ctx.visitorId() });
      const secret = `conformance secret ${ctx.id('s')}`;
      await ctx.acked(owner.link, ctx.sendText(owner.link, secret), owner.afterReady);
      await ctx.barrier(owner.link);

      const other = await ctx.open(sessionStart({ visitorId: ctx.visitorId(), conversationId: owner.conversationId }));
      const first = await other.waitFor((f) => f.kind === 'session.ready' || f.kind === 'error', 'session.ready or a refusal for the second visitor');
      const leaks = (what: string) => {
        const leak = other.frames.find(
          (r) => r.text.includes(secret) || ((r.frame.kind === 'event' || r.frame.kind === 'session.ready' || r.frame.kind === 'signal') && r.frame.conversationId === owner.conversationId),
        );
        if (leak) fail(`nothing of conversation ${owner.conversationId} for a second visitor ${what}`, describeFrame(leak));
      };
      if (first.frame.kind === 'error') {
        leaks('(refused)');
        return;
      }
      await ctx.barrier(other);
      leaks('resuming it by id');
      const page = await ctx.ask(other, { type: 'messages.page', beforeSeq: Number.MAX_SAFE_INTEGER });
      if (page.text.includes(secret)) fail('messages.page to hold none of the first visitor’s messages', clip(page.text));
      // Nor what happens in it afterwards.
      await ctx.acked(owner.link, ctx.sendText(owner.link, `${secret} (later)`), owner.afterReady);
      await ctx.barrier(owner.link);
      await ctx.barrier(other);
      leaks('while the first one keeps talking');
    },
  },
  {
    id: 'sse-resume',
    title: 'an event stream re-opened with Last-Event-ID replays only later events',
    requirement:
      'Conversation events carry an SSE id, so a stream the browser re-opens by itself (the same URL, with the last id it saw as `Last-Event-ID`) resumes after that event.',
    async run(ctx) {
      if (ctx.endpoint.transport !== 'http') throw new CheckSkip('HTTP + Server-Sent Events endpoints only');
      const visitorId = ctx.visitorId();
      const hello = sessionStart({ visitorId });
      const first = await ctx.session({ visitorId });
      for (let i = 1; i <= 2; i++) await ctx.acked(first.link, ctx.sendText(first.link, `conformance sse ${i}`), first.afterReady);
      await ctx.barrier(first.link);
      const events = eventsOf(first.link, first.conversationId);
      const unlabelled = events.find((r) => !r.sseId);
      if (unlabelled) fail(`event #${String(unlabelled.frame.seq)} to come with an SSE id`, 'no id');
      const last = Math.max(first.lastSeq, ...events.map(seqOf));
      first.link.close();
      if (last < 2) fail('at least 2 events after 2 messages', `lastSeq ${last}`);
      const k = Math.floor(last / 2);
      // The id is opaque: the browser sends back exactly the id of the last event it saw.
      const lastSeenId = events.find((r) => seqOf(r) === k)?.sseId;
      if (!lastSeenId) fail(`event #${k} on the first stream`, 'not received');

      // What a browser does: the very URL it first opened (a hello with afterSeq 0), plus Last-Event-ID.
      const cases: { label: string; hello: object }[] = [
        { label: 'the first stream’s own URL (its hello names no conversation)', hello },
        { label: 'a resuming session’s URL (its hello names the conversation, afterSeq 0)', hello: sessionStart({ visitorId, conversationId: first.conversationId }) },
      ];
      for (const { label, hello: h } of cases) {
        const link: RawLink = await ctx.open(h, { lastEventId: lastSeenId!, useFetch: true });
        const ready = await link.waitFor((f) => f.kind === 'session.ready', `session.ready on ${label}`);
        const s: Session = {
          link,
          ready: ready.frame,
          conversationId: String(ready.frame.conversationId),
          lastSeq: Number(ready.frame.lastSeq),
          afterReady: link.frames.indexOf(ready) + 1,
        };
        if (s.conversationId !== first.conversationId) fail(`the conversation ${first.conversationId} on ${label}`, `session.ready for ${s.conversationId}`);
        const got = (await replay(ctx, s, k)).map(seqOf);
        const want = range(k + 1, s.lastSeq);
        if (got.join() !== want.join()) {
          const old = got.filter((seq) => seq <= k);
          fail(
            `events ${seqList(want)} on ${label} with Last-Event-ID: ${lastSeenId!} (event #${k})`,
            `${seqList(got)}${old.length > 0 ? ` — ${old.length} event(s) at or below Last-Event-ID were replayed` : ''}`,
          );
        }
        link.close();
      }
    },
  },
  {
    id: 'frames',
    title: 'every frame the server sent is valid',
    requirement: 'Every frame has `"v": 1` … the types live in `@xiaoer/core`, every incoming frame is validated there (a frame with a wrong field type is a protocol error).',
    async run(ctx) {
      if (ctx.received().length === 0) {
        // Run alone: make some traffic to look at.
        const s = await ctx.session({ visitorId: ctx.visitorId() });
        await ctx.acked(s.link, ctx.sendText(s.link, 'conformance frames'), s.afterReady);
        await ctx.barrier(s.link);
      }
      const all = ctx.received();
      const invalid: string[] = [];
      for (const { checkId, received } of all) {
        const decoded = received.value === undefined ? { ok: false as const, error: new Error('not JSON') } : validateServerFrame(received.value);
        if (!decoded.ok) invalid.push(`[${checkId}] ${decoded.error.message}: ${clip(received.text, 120)}`);
      }
      if (invalid.length > 0) {
        fail(`every one of the ${all.length} frames received to pass validateServerFrame`, `${invalid.length} invalid:\n${invalid.slice(0, 5).join('\n')}${invalid.length > 5 ? `\n… and ${invalid.length - 5} more` : ''}`);
      }
    },
  },
];

/** The ids of every check, in the order they run. */
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

export type { WireFrame };
