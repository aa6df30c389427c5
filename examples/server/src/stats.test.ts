import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startServer } from './server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('GET /xiaoer/stats', () => {
  it('counts the open buyer sockets, for whoever holds the desk key only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-stats-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ dataDir, port: 0, deskKey: 'desk-secret', log: () => {} });
    cleanups.push(() => server.close());
    const stats = async (key: string) => {
      const res = await fetch(`${server.url}/xiaoer/stats?key=${key}`);
      return { status: res.status, body: res.ok ? ((await res.json()) as { buyerSockets: number }) : null };
    };
    expect(await stats('desk-secret')).toEqual({ status: 200, body: { buyerSockets: 0 } });

    const sockets = [new WebSocket(`${server.url.replace('http', 'ws')}/xiaoer/ws`), new WebSocket(`${server.url.replace('http', 'ws')}/xiaoer/ws`)];
    cleanups.push(() => sockets.forEach((s) => s.terminate()));
    await Promise.all(sockets.map((s) => new Promise((open) => s.once('open', open))));
    expect((await stats('desk-secret')).body).toEqual({ buyerSockets: 2 });

    sockets[0]!.close();
    await expect.poll(async () => (await stats('desk-secret')).body).toEqual({ buyerSockets: 1 });
    expect((await stats('wrong')).status).toBe(404);
  });
});
