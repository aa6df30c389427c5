import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { createClient, type XiaoerClient } from '@xiaoer/core';
import { createWebSocketTransport, type WebSocketConstructor } from '@xiaoer/adapters/websocket';
import { startServer, type RunningServer } from './server.js';

/**
 * A restart of the reference server must not be followed by a thundering herd: with the default
 * backoff (full jitter), 200 tabs come back spread over time, not in one wave — and all of them
 * come back, each to its own conversation.
 *
 * Two clocks are read for every client. `planned`: when its backoff told it to dial the attempt
 * that succeeded (restart + the `retryInMs` it was given) — what separate devices would do.
 * `online`: when its session was open again. Here 200 tabs and the server share one Node thread,
 * so the server's own start-up (~30 ms of synchronous work) delays the timers due meanwhile and
 * they fire together: `online` shows that artefact on top of the backoff, so it gets a looser bound.
 */

const CLIENTS = 200;
const WINDOW_MS = 100;
/** How long the server stays down between close and start (a deploy, a crash and its supervisor). */
const DOWN_MS = 400;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what()}: not reached in ${timeoutMs} ms`);
    await sleep(20);
  }
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The most arrivals in any window of `ms`, sliding over every arrival. */
function busiestWindow(sorted: readonly number[], ms: number): number {
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}

function histogram(sorted: readonly number[], ms: number): string {
  const buckets = new Map<number, number>();
  for (const t of sorted) buckets.set(Math.floor(t / ms), (buckets.get(Math.floor(t / ms)) ?? 0) + 1);
  const lines: string[] = [];
  for (let b = 0; b <= Math.max(...buckets.keys()); b++) {
    const n = buckets.get(b) ?? 0;
    if (n > 0 || buckets.has(b + 1)) lines.push(`  ${String(b * ms).padStart(5)}–${String((b + 1) * ms).padEnd(5)} ms ${String(n).padStart(3)} ${'#'.repeat(n)}`);
  }
  return lines.join('\n');
}

describe('reconnect storm after a server restart', () => {
  it(`brings ${CLIENTS} WebSocket clients back, spread over time by the default backoff`, { timeout: 40_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-storm-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server: RunningServer = await startServer({ dataDir, port: 0, deskKey: 'k', log: () => {} });
    cleanups.push(() => server.close());
    const port = server.port;

    // Default backoff and heartbeat: what a shop ships.
    const clients: XiaoerClient[] = [];
    const plannedAt: (number | null)[] = [];
    const onlineAt: (number | null)[] = [];
    let restartedAt = 0;
    for (let i = 0; i < CLIENTS; i++) {
      const transport = createWebSocketTransport({ url: `ws://127.0.0.1:${port}/xiaoer/ws`, WebSocket: NodeWebSocket as unknown as WebSocketConstructor });
      const client = createClient({ transport, locale: 'en' });
      plannedAt.push(null);
      onlineAt.push(null);
      client.on('connection:changed', (state) => {
        if (restartedAt === 0 || onlineAt[i] !== null) return;
        if (state.status === 'offline' && state.retryInMs !== undefined) plannedAt[i] = Date.now() + state.retryInMs - restartedAt;
        if (state.status === 'online') onlineAt[i] = Date.now() - restartedAt;
      });
      clients.push(client);
      cleanups.push(() => client.stop());
    }
    await Promise.all(clients.map((c) => c.start()));
    const online = () => clients.filter((c) => c.getSnapshot().connection.status === 'online').length;
    await until(() => online() === CLIENTS, 15_000, () => `${online()} of ${CLIENTS} online at first`);
    const conversations = clients.map((c) => c.getSnapshot().conversationId);
    expect(new Set(conversations).size).toBe(CLIENTS);

    // The restart: close (every socket dropped), a moment down, start again on the same port with
    // the same data directory.
    restartedAt = Date.now();
    await server.close();
    await until(() => online() === 0, 5_000, () => `${online()} clients still online after the close`);
    await sleep(DOWN_MS);
    server = await startServer({ dataDir, port, deskKey: 'k', log: () => {} });
    const downMs = Date.now() - restartedAt;
    await until(() => onlineAt.every((t) => t !== null), 25_000, () => `${onlineAt.filter((t) => t !== null).length} of ${CLIENTS} back online`);

    const back = (onlineAt as number[]).slice().sort((a, b) => a - b);
    const planned = (plannedAt as number[]).slice().sort((a, b) => a - b);
    const figures = (sorted: readonly number[]) => {
      const busiest = busiestWindow(sorted, WINDOW_MS);
      return {
        p10: percentile(sorted, 10),
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        last: sorted.at(-1)!,
        busiest,
        text: `p10 ${percentile(sorted, 10)} ms, p50 ${percentile(sorted, 50)} ms, p90 ${percentile(sorted, 90)} ms, last ${sorted.at(-1)} ms, busiest ${WINDOW_MS} ms window ${busiest} (${((busiest / CLIENTS) * 100).toFixed(1)}%)`,
      };
    };
    const plan = figures(planned);
    const seen = figures(back);
    console.log(
      `[storm] ${CLIENTS} clients, server down ${downMs} ms (restart to listening)\n` +
        `  planned reconnects (backoff): ${plan.text}\n` +
        `  back online:                  ${seen.text}\n` +
        `  back online per ${WINDOW_MS} ms after the restart began:\n${histogram(back, WINDOW_MS)}`,
    );

    // All back, each to the conversation it had (resumed from the record log, not made anew).
    expect(online()).toBe(CLIENTS);
    expect(clients.map((c) => c.getSnapshot().conversationId)).toEqual(conversations);
    expect(planned).toHaveLength(CLIENTS);
    // Spread, not a wave: what the backoff plans…
    expect(plan.busiest).toBeLessThanOrEqual(CLIENTS * 0.25);
    expect(plan.p90 - plan.p10).toBeGreaterThan(400);
    // …and what actually reached the server (looser: see the note above about one shared thread).
    expect(seen.busiest).toBeLessThanOrEqual(CLIENTS * 0.4);
    expect(seen.p90 - seen.p10).toBeGreaterThan(400);
  });
});
