export interface BackoffOptions {
  /** First delay ceiling, ms. */
  baseMs?: number;
  /** Largest delay ceiling, ms. */
  maxMs?: number;
  /** Source of randomness in [0, 1); injected in tests. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
 * [0, min(max, base·2ⁿ)). Full jitter spreads a crowd of clients reconnecting to a restarted
 * server over the whole window instead of waves at the same instants.
 */
export function fullJitterDelay(attempt: number, { baseMs = 500, maxMs = 15_000, random = Math.random }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
