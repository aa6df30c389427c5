import { createClientId } from '../ids.js';
import type { Storage } from '../storage/storage.js';
import type { OutboxEntry } from '../store/state.js';

/** The part of the Web Locks API (`navigator.locks`) the outbox needs. */
export interface OutboxLockManager {
  request<T>(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
  query(): Promise<{ held?: readonly { name?: string }[] }>;
}

/**
 * Where this client keeps its outbox, so that several tabs of one store never overwrite each
 * other's unsent commands (one shared key did: the last tab to write won, the others' entries were
 * lost). With Web Locks each client writes under a key of its own and holds a lock named after it
 * while it runs; an outbox whose lock nobody holds belongs to a tab that is gone (closed, crashed,
 * reloaded) and is adopted by the next client that looks: it stores the entries as its own, then
 * the orphan is deleted. Adopted commands keep their ids, so the server applies each once even if
 * the gone tab had sent it. Without Web Locks (Node, old browsers) there is one key, as before.
 */
export interface OutboxHome {
  /** The key this client writes its outbox under. */
  readonly key: string;
  /** Marks this client's outbox as alive (for other tabs) and returns what is stored under its key. */
  claim(): Promise<OutboxEntry[] | undefined>;
  /**
   * Hands the entries of every orphaned outbox to `keep`, which must have stored them as this
   * client's own when it resolves; the orphans are deleted after. One tab adopts at a time.
   */
  adopt(keep: (entries: OutboxEntry[]) => Promise<void>): Promise<void>;
}

export function createOutboxHome(storage: Storage, namespace: string, locks: OutboxLockManager | undefined): OutboxHome {
  /** The key every tab shared before outboxes were per tab; an outbox under it has no owner left. */
  const sharedKey = `${namespace}:outbox`;
  if (!locks) {
    return { key: sharedKey, claim: () => storage.get<OutboxEntry[]>(sharedKey), adopt: async () => {} };
  }
  const tabId = createClientId('tab');
  const indexKey = `${namespace}:outboxes`;
  const keyOf = (id: string) => `${sharedKey}:${id}`;
  const lockOf = (id: string) => `xiaoer-outbox:${namespace}:${id}`;
  let claimed: Promise<void> | null = null;

  return {
    key: keyOf(tabId),

    async claim() {
      // The lock is held before the tab is listed: a listed tab whose lock nobody holds is gone.
      // Held for the life of the page (a closed tab releases it).
      claimed ??= new Promise<void>((granted) => {
        void locks.request(lockOf(tabId), {}, () => {
          granted();
          return new Promise<void>(() => {});
        });
      }).then(() => storage.update<string[]>(indexKey, (ids) => (ids?.includes(tabId) ? ids : [...(ids ?? []), tabId])));
      await claimed;
      return storage.get<OutboxEntry[]>(keyOf(tabId));
    },

    adopt(keep) {
      return locks.request(`xiaoer-outbox-adopt:${namespace}`, {}, async () => {
        const alive = new Set(((await locks.query()).held ?? []).map((lock) => lock.name));
        const gone = ((await storage.get<string[]>(indexKey)) ?? []).filter((id) => id !== tabId && !alive.has(lockOf(id)));
        const orphanKeys = [sharedKey, ...gone.map(keyOf)];
        const outboxes = await Promise.all(orphanKeys.map((key) => storage.get<OutboxEntry[]>(key)));
        const entries = outboxes.flatMap((outbox) => (Array.isArray(outbox) ? outbox : []));
        if (entries.length > 0) await keep(entries);
        // Only the keys that held something: a reconnect with no orphans writes nothing.
        await Promise.all(orphanKeys.filter((_, i) => outboxes[i] !== undefined).map((key) => storage.del(key)));
        if (gone.length > 0) await storage.update<string[]>(indexKey, (ids) => (ids ?? []).filter((id) => !gone.includes(id)));
      });
    },
  };
}
