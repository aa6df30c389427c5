/**
 * An in-process stand-in for the Web Locks API (`navigator.locks`) shared by several simulated
 * tabs: exclusive locks granted first come, first served, `query()`, and `close(tab)` to let a tab
 * vanish the way a closed browser tab does — every lock it held is released, every request it had
 * waiting is dropped, and nothing it was awaiting ever settles.
 *
 * @example
 * const locks = createFakeLocks()
 * const tabA = locks.tab(), tabB = locks.tab()
 * void tabA.request('leader', {}, () => new Promise(() => {}))  // A leads
 * void tabB.request('leader', {}, async () => console.log('B leads'))
 * locks.close(tabA)  // → "B leads"
 */
export interface FakeLockManager {
  request<T>(name: string, options: { signal?: AbortSignal; ifAvailable?: boolean }, callback: (lock: { name: string } | null) => Promise<T> | T): Promise<T>;
  query(): Promise<{ held: { name: string }[]; pending: { name: string }[] }>;
}

interface Waiter {
  readonly name: string;
  readonly tab: FakeLockManager;
  readonly grant: () => void;
}

export function createFakeLocks() {
  const held = new Map<string, FakeLockManager>();
  const queue: Waiter[] = [];
  const closed = new Set<FakeLockManager>();

  const release = (name: string) => {
    held.delete(name);
    const next = queue.findIndex((w) => w.name === name);
    if (next >= 0) queue.splice(next, 1)[0]!.grant();
  };

  const tab = (): FakeLockManager => {
    const self: FakeLockManager = {
      request(name, options, callback) {
        return new Promise((resolve, reject) => {
          if (closed.has(self)) return;
          if (options.signal?.aborted) return reject(options.signal.reason);
          const run = () => {
            held.set(name, self);
            void (async () => callback({ name }))().then(
              (value) => {
                if (closed.has(self)) return;
                release(name);
                resolve(value);
              },
              (error: unknown) => {
                if (closed.has(self)) return;
                release(name);
                reject(error);
              },
            );
          };
          if (!held.has(name)) return run();
          if (options.ifAvailable) return void Promise.resolve(callback(null)).then(resolve, reject);
          const waiter: Waiter = { name, tab: self, grant: run };
          queue.push(waiter);
          options.signal?.addEventListener('abort', () => {
            const at = queue.indexOf(waiter);
            if (at < 0) return;
            queue.splice(at, 1);
            reject(options.signal!.reason);
          });
        });
      },
      async query() {
        return { held: [...held.keys()].map((name) => ({ name })), pending: queue.map((w) => ({ name: w.name })) };
      },
    };
    return self;
  };

  return {
    /** A lock manager for one more simulated tab. */
    tab,
    /** The tab is gone: its locks are released and its waiting requests dropped. */
    close(manager: FakeLockManager) {
      closed.add(manager);
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.tab === manager) queue.splice(i, 1);
      for (const [name, owner] of [...held]) if (owner === manager) release(name);
    },
  };
}
