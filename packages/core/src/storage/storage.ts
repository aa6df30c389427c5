/**
 * Where the client keeps what must survive a reload: the visitor id, the outbox of unsent
 * commands and a cache of the conversation. Values are structured-cloneable plain data.
 */
export interface Storage {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Read-modify-write of one key, atomic with respect to other `update` calls on this storage. */
  update<T>(key: string, updater: (old: T | undefined) => T): Promise<void>;
  del(key: string): Promise<void>;
}

/** In-memory storage: the default in Node and in tests. Values are cloned so callers cannot alias them. */
export function createMemoryStorage(): Storage & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => T): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    data,
    get: <T>(key: string) => serial(() => structuredClone(data.get(key)) as T | undefined),
    set: (key, value) => serial(() => void data.set(key, structuredClone(value))),
    update: <T>(key: string, updater: (old: T | undefined) => T) =>
      serial(() => void data.set(key, structuredClone(updater(structuredClone(data.get(key)) as T | undefined)))),
    del: (key) => serial(() => void data.delete(key)),
  };
}
