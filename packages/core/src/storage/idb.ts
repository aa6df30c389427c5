import { createStore, del, get, set, update } from 'idb-keyval';
import type { Storage } from './storage.js';

/**
 * IndexedDB storage through idb-keyval, in its own database (`xiaoer` by default) so it never
 * touches a database the host page uses.
 */
export function createIdbStorage(databaseName = 'xiaoer', storeName = 'kv'): Storage {
  const store = createStore(databaseName, storeName);
  return {
    get: <T>(key: string) => get<T>(key, store),
    set: (key, value) => set(key, value, store),
    update: <T>(key: string, updater: (old: T | undefined) => T) => update<T>(key, updater, store),
    del: (key) => del(key, store),
  };
}

/** Whether IndexedDB can be used here (absent in Node, and in some private modes). */
export function hasIndexedDb(): boolean {
  return typeof indexedDB !== 'undefined';
}
