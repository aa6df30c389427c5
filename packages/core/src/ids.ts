/**
 * A client-generated id: the idempotency key of a command, and the id a buyer's message carries
 * until (and after) the server confirms it. Random, 128 bits, URL-safe.
 */
export function createClientId(prefix = 'c'): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return `${prefix}_${c.randomUUID()}`;
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return `${prefix}_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
