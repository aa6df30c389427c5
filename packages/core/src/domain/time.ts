import * as v from 'valibot';
import { RefusedError } from '../errors.js';

/** One hour in milliseconds. Domain rules count time in whole milliseconds since the epoch. */
export const HOUR_MS = 60 * 60 * 1000;
/** One day (24 hours) in milliseconds. Windows are counted in elapsed time, not calendar days. */
export const DAY_MS = 24 * HOUR_MS;

/** A point in time: integer milliseconds since the epoch (server time). */
export const TimestampSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

/**
 * Domain rules never read the clock: `now` is always a parameter. This checks that the caller
 * passed a usable one (a bad `now` would silently open or close every window).
 */
export function assertNow(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new RefusedError(`"now" must be integer milliseconds since the epoch, got ${String(now)}.`);
  }
}
