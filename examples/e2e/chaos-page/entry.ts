/**
 * The browser side of the chaos e2e test (`../chaos-browser.e2e.test.ts`), bundled by the test with
 * esbuild: the real client, its outbox in real IndexedDB (`createIdbStorage()`), the real WebSocket
 * or HTTP + SSE transport, pointed at the test's chaos proxy.
 *
 * Query: `?adapter=websocket|http&ns=<namespace>&prefix=<text prefix>&link=<host:port>` (`link`: where
 * the transport connects, the page's own host by default). The test drives it through
 * `window.chaos`; each message the client has persisted (its `sendText` resolved) is reported to
 * the test through the exposed `chaosConfirmed(n)` binding, which survives reloads, and in
 * localStorage (`chaos-confirmed:<ns>`).
 */
import { createClient, createIdbStorage, selectTimeline, type Transport, type XiaoerClient } from '@xiaoer/core';
import { createWebSocketTransport } from '@xiaoer/adapters/websocket';
import { createHttpTransport } from '@xiaoer/adapters/http';

declare global {
  interface Window {
    chaos: ChaosPage;
    /** Exposed by the test (page.exposeFunction): the highest message number persisted so far. */
    chaosConfirmed?: (n: number) => Promise<void>;
    /** Exposed by the test: every error the client reports (code and message). */
    chaosError?: (line: string) => Promise<void>;
  }
}

export interface ChaosPage {
  /** Resolves once the client hydrated from IndexedDB and dialled. */
  readonly started: Promise<void>;
  /** Outbox entries IndexedDB held for this namespace when the page loaded (unacked across the reload). */
  carried(): Promise<number>;
  /** Sends messages `from … from + count - 1` at once (all in the outbox together), in order. */
  sendBatch(from: number, count: number): Promise<void>;
  /** Resolves once fewer than `n` commands wait in the outbox. */
  backlogBelow(n: number): Promise<void>;
  /** Resolves once the link is online, the outbox empty and no outbox left in IndexedDB. */
  drained(): Promise<void>;
  status(): { connection: string; outbox: number; conversationId: string | null };
  /** The buyer's messages as this page shows them (timeline), with their delivery state. */
  view(): Promise<{ text: string; key: string; delivery: string | undefined }[]>;
  transcript(): Promise<string>;
}

const params = new URLSearchParams(location.search);
const adapter = params.get('adapter');
const namespace = params.get('ns') ?? 'chaos';
const prefix = params.get('prefix') ?? 'msg';
const link = params.get('link') ?? location.host;
const textOf = (n: number) => `${prefix}-${String(n).padStart(5, '0')}`;

// The same timings as the Node chaos test: faults are noticed in a fraction of a second.
const backoff = { baseMs: 10, maxMs: 200 };
const transport: Transport =
  adapter === 'http'
    ? createHttpTransport({ url: `http://${link}/xiaoer/http`, deadAfterMs: 500, backoff })
    : createWebSocketTransport({ url: `ws://${link}/xiaoer/ws`, heartbeatMs: 100, deadAfterMs: 400, backoff });

/**
 * Outbox entries stored in IndexedDB for this namespace, read straight from the database
 * `createIdbStorage()` uses (`xiaoer`, store `kv`), whatever key layout the client chooses: one
 * shared `<ns>:outbox`, or one `<ns>:outbox:<tab>` per tab.
 */
function storedOutboxEntries(): Promise<number> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('xiaoer');
    // No database yet: leave its creation to the client (a version made here would lack its store).
    opening.onupgradeneeded = () => opening.transaction!.abort();
    opening.onerror = () => (opening.error?.name === 'AbortError' ? resolve(0) : reject(opening.error));
    opening.onsuccess = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains('kv')) {
        db.close();
        return resolve(0);
      }
      const store = db.transaction('kv', 'readonly').objectStore('kv');
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        db.close();
        let count = 0;
        keys.result.forEach((key, i) => {
          const mine = key === `${namespace}:outbox` || String(key).startsWith(`${namespace}:outbox:`);
          if (mine && Array.isArray(values.result[i])) count += (values.result[i] as unknown[]).length;
        });
        resolve(count);
      };
      values.onerror = () => (db.close(), reject(values.error));
    };
  });
}

// What the page before this one left in IndexedDB is read before this page's client touches it.
let carried = 0;
let client: XiaoerClient | undefined;
const started = storedOutboxEntries().then((n) => {
  carried = n;
  client = createClient({ transport, storage: createIdbStorage(), namespace, locale: 'en', ackTimeoutMs: 300 });
  client.on('error', (e) => void window.chaosError?.(`${e.code}: ${e.message}`));
  return client.start();
});
const ready = async () => (await started, client!);

/** Resolves when `done()` holds, checked on every state change. */
async function until(done: (c: XiaoerClient) => boolean): Promise<void> {
  const c = await ready();
  return new Promise((resolve) => {
    if (done(c)) return resolve();
    const off = c.subscribe(() => {
      if (!done(c)) return;
      off();
      resolve();
    });
  });
}

// Confirmations are coalesced per microtask burst (a coalesced outbox write resolves many sends
// at once): one binding call instead of one per message. A reload right after a send resolved can
// destroy the page before Playwright handles its binding call, so the highest number is also kept
// in localStorage (written synchronously), where the test reads it after each reload.
let highest = 0;
let reporting = false;
const confirm = (n: number) => {
  highest = Math.max(highest, n);
  localStorage.setItem(`chaos-confirmed:${namespace}`, String(highest));
  if (reporting) return;
  reporting = true;
  queueMicrotask(() => {
    reporting = false;
    void window.chaosConfirmed?.(highest);
  });
};

window.chaos = {
  started,
  async carried() {
    await started;
    return carried;
  },
  async sendBatch(from, count) {
    const c = await ready();
    const sends: Promise<unknown>[] = [];
    for (let n = from; n < from + count; n++) sends.push(c.sendText(textOf(n)).then(() => confirm(n)));
    await Promise.all(sends);
  },
  backlogBelow: (n) => until((c) => c.getSnapshot().outbox.length < n),
  async drained() {
    // Online with an empty outbox, and nothing left in IndexedDB either: an outbox a reloaded page
    // left behind may be taken over by this one only once it is online.
    for (;;) {
      await until((c) => {
        const s = c.getSnapshot();
        return s.connection.status === 'online' && s.outbox.length === 0;
      });
      await client!.persisted();
      if ((await storedOutboxEntries()) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  },
  status() {
    if (!client) return { connection: 'loading', outbox: -1, conversationId: null };
    const s = client.getSnapshot();
    return { connection: s.connection.status, outbox: s.outbox.length, conversationId: s.conversationId };
  },
  async view() {
    const c = await ready();
    return selectTimeline(c.getSnapshot())
      .filter((item) => item.author.role === 'buyer')
      .map((item) => ({ text: item.body.kind === 'text' ? item.body.text : `<${item.body.kind}>`, key: item.key, delivery: item.delivery }));
  },
  transcript: async () => (await ready()).transcript({ locale: 'en' }),
};
