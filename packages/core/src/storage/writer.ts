import type { Storage } from './storage.js';

/**
 * Writes the latest value of one key, coalescing bursts: while a write is in flight, newer values
 * replace each other and only the last is written next. `flushed()` resolves once the value
 * passed to the latest `write` is stored.
 */
export function createLatestWriter<T>(storage: Storage, key: string, onError: (error: unknown) => void) {
  let pending: { value: T } | null = null;
  let running: Promise<void> | null = null;

  const run = async () => {
    while (pending) {
      const { value } = pending;
      pending = null;
      try {
        await storage.set(key, value);
      } catch (error) {
        onError(error);
      }
    }
    running = null;
  };

  return {
    write(value: T): Promise<void> {
      pending = { value };
      running ??= run();
      return running;
    },
    flushed(): Promise<void> {
      return running ?? Promise.resolve();
    },
  };
}
