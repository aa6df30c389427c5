import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { EventSource } from 'eventsource';
import type { ServerFrame } from '@xiaoer/core';
import { SupportBackend, type VerifiedBuyer } from '@xiaoer/adapters/memory';
import { formatReport, runConformance, type ConformanceOptions, type Report } from '@xiaoer/adapters/conformance';
import type { WebSocketConstructor } from '@xiaoer/adapters/websocket';
import type { EventSourceConstructor } from '@xiaoer/adapters/http';
import { buyerIdentity, createBuyerVerifier } from './identity.js';
import { startServer, type RunningServer } from './server.js';

const SECRET = 's';
const impl = { WebSocket: WebSocket as unknown as WebSocketConstructor, EventSource: EventSource as unknown as EventSourceConstructor };
/** A fresh signature on every call, as a shop's page would hand out. */
const identity = () => buyerIdentity(SECRET, { id: 'buyer-demo' }, Date.now());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function reference(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-conformance-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const s = await startServer({ dataDir, port: 0, log: () => {}, shopSecret: SECRET });
  cleanups.push(() => s.close());
  return s;
}

function check(report: Report, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in the report`);
  return found;
}

const failedIds = (report: Report) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

/**
 * Requirements the reference server is known to miss, by transport: reported, not hidden. The
 * check stays as strict as the rule; when the server is fixed, the assertion below says so and the
 * entry goes.
 *
 * sse-resume: `createSseEndpoint` honours `Last-Event-ID` only when the stream's `hello` names the
 * conversation. A browser re-opening the first stream of a new visitor (whose hello names none)
 * gets every event again instead of the ones after Last-Event-ID.
 */
const KNOWN_REFERENCE_FAILURES: Record<'websocket' | 'http', Record<string, RegExp>> = {
  websocket: {},
  http: {},
};

describe('the conformance kit against the reference server', () => {
  for (const transport of ['websocket', 'http'] as const) {
    it(`passes over ${transport === 'http' ? 'HTTP + SSE' : 'WebSocket'}`, async () => {
      const s = await reference();
      const url = transport === 'http' ? `${s.url}/xiaoer/http` : `${s.url.replace(/^http/, 'ws')}/xiaoer/ws`;
      const progress: string[] = [];
      const report = await runConformance({ url, identity, ...impl, onProgress: (c) => progress.push(c.id) });
      const known = KNOWN_REFERENCE_FAILURES[transport];

      expect(failedIds(report), formatReport(report)).toEqual(Object.keys(known));
      for (const [id, detail] of Object.entries(known)) expect(check(report, id).detail).toMatch(detail);
      expect(report.passed).toBe(report.checks.length - report.skipped - report.failed);
      expect(progress).toEqual(report.checks.map((c) => c.id));
      expect(report.checks.map((c) => c.id)).toEqual([
        'session', 'ping', 'identity-forged', 'identity-expired', 'identity-valid', 'identity-renew', 'idempotency', 'resume', 'ordering',
        'error-malformed', 'error-unknown-kind', 'error-version', 'error-no-session', 'isolation', 'sse-resume', 'frames',
      ]);
      // Each transport skips the check that belongs to the other one.
      expect(report.checks.filter((c) => c.status === 'skip').map((c) => c.id)).toEqual([transport === 'http' ? 'error-no-session' : 'sse-resume']);
      for (const c of report.checks) {
        expect(c.requirement.length).toBeGreaterThan(20);
        expect(c.durationMs).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('skips identity-valid without an identity and still runs the forged-identity checks', async () => {
    const s = await reference();
    const report = await runConformance({ url: `${s.url.replace(/^http/, 'ws')}/xiaoer/ws`, ...impl, only: ['identity'] });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['identity-forged', 'pass'],
      ['identity-expired', 'pass'],
      ['identity-valid', 'skip'],
      ['identity-renew', 'skip'],
    ]);
    expect(check(report, 'identity-valid').detail).toMatch(/no valid identity/);
  });

  it('formats a report: a line per check, failures with the rule and the detail, the tally last', async () => {
    // A backend that ignores afterSeq: `resume` fails, `ping` passes, `sse-resume` is skipped over WebSocket.
    const report = await runAgainst(
      { inbound: (text) => edit(text, (f) => f.kind === 'session.start' && (f.afterSeq = 0)) },
      { only: ['ping', 'resume', 'sse-resume'] },
    );
    const text = formatReport(report);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(text).toMatch(/^✓ ping +ping is answered by pong with the same id \(\d+ ms\)$/m);
    expect(text).toMatch(/^✗ resume +/m);
    expect(text).toMatch(/^– sse-resume .*\(skipped: HTTP/m);
    expect(text).toMatch(/Failures:\n\n✗ resume: .*\n {4}rule: .*\n {4}expected events/);
  });

  it('rejects bad options instead of reporting them as failures of the backend', async () => {
    await expect(runConformance({ url: 'ftp://example.test/x' })).rejects.toThrow(/ws\(s\):\/\/ .* or http\(s\):\/\//);
    await expect(runConformance({ url: 'ws://127.0.0.1:9/x', only: ['nope'] })).rejects.toThrow(/unknown check nope; the checks are session, ping/);
    await expect(runConformance({ url: 'ws://127.0.0.1:9/x', identity: { id: 'b', expires: 1, signature: 'xyz' } })).rejects.toThrow(/identity must be/);
  });

  it('never hangs: a server that says nothing fails every check within its time budget', async () => {
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => silent.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    cleanups.push(() => silent.clients.forEach((c) => c.terminate()));
    const started = Date.now();
    const report = await runConformance({ url: `ws://127.0.0.1:${(silent.address() as { port: number }).port}/`, ...impl, timeoutMs: 300, only: ['session', 'ping', 'resume'] });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failedIds(report)).toEqual(['session', 'ping', 'resume']);
    expect(check(report, 'session').detail).toMatch(/timed out after 300 ms waiting for session.ready \(nothing received\)/);
  });

  it('reads the event stream with fetch when no EventSource is given (Node 20 has none)', async () => {
    const s = await reference();
    const report = await runConformance({ url: `${s.url}/xiaoer/http/`, WebSocket: impl.WebSocket, only: ['session', 'idempotency', 'ordering', 'frames'] });
    expect(report.checks.map((c) => `${c.id}:${c.status}`), formatReport(report)).toEqual(['session:pass', 'idempotency:pass', 'ordering:pass', 'frames:pass']);
  });

  it('says which HTTP status refused the stream', async () => {
    const s = await reference();
    const report = await runConformance({ url: `${s.url}/not-xiaoer`, ...impl, only: ['session'] });
    expect(check(report, 'session').detail).toBe(`cannot open the event stream ${s.url}/not-xiaoer/events: the event stream was refused or failed (HTTP 404)`);
  });

  it('fails every check with the reason when nothing listens at the URL', async () => {
    const report = await runConformance({ url: 'ws://127.0.0.1:9/xiaoer/ws', ...impl, only: ['session'], timeoutMs: 2_000 });
    expect(check(report, 'session').status).toBe('fail');
    expect(check(report, 'session').detail).toMatch(/cannot connect to ws:\/\/127\.0\.0\.1:9\/xiaoer\/ws/);
  });
});

// ---------------------------------------------------------------------------------------------
// Deliberately broken backends: the memory backend behind a plain `ws` server, with one twist each.

interface Twist {
  /** Rewrites (or drops, with null) a frame from the client before the backend sees it. */
  inbound?: (text: string, socket: WebSocket) => string | null;
  /** Rewrites a frame from the backend before the client sees it. */
  outbound?: (frame: ServerFrame) => ServerFrame;
  verifyBuyer?: (identity: { id: string }) => VerifiedBuyer | null;
}

async function broken(twist: Twist): Promise<string> {
  const backend = new SupportBackend({ verifyBuyer: twist.verifyBuyer ?? createBuyerVerifier(SECRET) });
  const http = createServer((_, res) => res.writeHead(404).end());
  const sockets = new WebSocketServer({ server: http });
  sockets.on('connection', (ws) => {
    const connection = backend.connectBuyer((frame) => ws.send(JSON.stringify(twist.outbound ? twist.outbound(frame) : frame)));
    ws.on('message', (data) => {
      const text = data.toString('utf8');
      const passed = twist.inbound ? twist.inbound(text, ws) : text;
      if (passed !== null) connection.receive(passed);
    });
    ws.on('close', () => connection.close());
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const c of sockets.clients) c.terminate();
    await new Promise<void>((r) => sockets.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  });
  return `ws://127.0.0.1:${(http.address() as { port: number }).port}/xiaoer/ws`;
}

const edit = (text: string, change: (frame: Record<string, unknown>) => void): string => {
  try {
    const frame = JSON.parse(text) as Record<string, unknown>;
    change(frame);
    return JSON.stringify(frame);
  } catch {
    return text;
  }
};

async function runAgainst(twist: Twist, options: Partial<ConformanceOptions> = {}): Promise<Report> {
  return runConformance({ url: await broken(twist), identity, ...impl, timeoutMs: 3_000, ...options });
}

describe('the conformance kit against broken backends', () => {
  it('catches a backend that applies a resent command again', async () => {
    // Idempotency stripped: every arrival of a command gets a new id, mapped back on the way out.
    let n = 0;
    const strip = (id: string) => id.replace(/~\d+$/, '');
    const report = await runAgainst({
      inbound: (text) => edit(text, (f) => f.kind === 'command' && (f.id = `${String(f.id)}~${++n}`)),
      outbound: (frame) => {
        if ((frame.kind === 'ack' || frame.kind === 'nack') && frame.id) return { ...frame, id: strip(frame.id) };
        if (frame.kind === 'event' && frame.event.type === 'message.created' && frame.event.message.clientId) {
          return { ...frame, event: { ...frame.event, message: { ...frame.event.message, clientId: strip(frame.event.message.clientId) } } };
        }
        return frame;
      },
    });
    expect(failedIds(report), formatReport(report)).toEqual(['idempotency']);
    expect(check(report, 'idempotency').detail).toMatch(/expected exactly one message\.created with clientId \S+ after sending the command 4 times .*; got 4, at seq \d+, \d+, \d+, \d+: the resent command was applied again/);
  });

  it('catches a backend that ignores afterSeq and replays everything', async () => {
    const report = await runAgainst({ inbound: (text) => edit(text, (f) => f.kind === 'session.start' && (f.afterSeq = 0)) });
    // A renewal on the open link restarts the session, so it replays everything too.
    expect(failedIds(report), formatReport(report)).toEqual(['identity-renew', 'resume']);
    expect(check(report, 'identity-renew').detail).toMatch(/expected no event at or below afterSeq=\d+ replayed/);
    expect(check(report, 'resume').detail).toMatch(/expected events (\d+, )*\d+ after afterSeq=(\d+); got 1, 2, .* — \2 event\(s\) at or below afterSeq were replayed/);
  });

  it('catches a backend that accepts a forged identity', async () => {
    const report = await runAgainst({ verifyBuyer: (claim) => ({ id: claim.id }) });
    expect(failedIds(report), formatReport(report)).toEqual(['identity-forged']);
    expect(check(report, 'identity-forged').detail).toMatch(/expected no buyer in session\.ready for a forged identity claiming "buyer-demo"; got session\.ready\.buyer = \{"id":"buyer-demo".*\}: the server trusted a forged identity/);
  });

  it('catches a backend that answers a malformed frame by closing the connection', async () => {
    const report = await runAgainst({
      inbound: (text, ws) => {
        try {
          JSON.parse(text);
          return text;
        } catch {
          ws.close(1003, 'bad frame');
          return null;
        }
      },
    });
    expect(failedIds(report), formatReport(report)).toEqual(['error-malformed']);
    expect(check(report, 'error-malformed').detail).toMatch(/an error or nack with code "protocol" for a frame that is not JSON: the server closed the connection \(code 1003: bad frame\)/);
  });

  it('catches frames that break the schema, wherever they came from', async () => {
    const report = await runAgainst(
      { outbound: (frame) => (frame.kind === 'pong' ? ({ ...frame, id: 42 } as unknown as ServerFrame) : frame) },
      { only: ['session', 'ping', 'frames'] },
    );
    expect(failedIds(report)).toEqual(['ping', 'frames']);
    expect(check(report, 'ping').detail).toMatch(/expected pong with id "p_[^"]+"; got pong with id 42/);
    expect(check(report, 'frames').detail).toMatch(/got 1 invalid:\n\[ping\] invalid server frame: id: .*"kind":"pong","id":42/);
  });
});
