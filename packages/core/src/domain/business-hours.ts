import * as v from 'valibot';
import { DAY_MS, assertNow } from './time.js';
import type { FieldError, Validation } from './validation.js';

/**
 * When a shop's agents are on duty, in the shop's own time zone: weekly opening periods and closed
 * dates (holidays). Pure functions of `(hours, now)`; local wall-clock time comes from
 * `Intl.DateTimeFormat` with the zone, so daylight-saving changes need no date library.
 */

/** Most opening periods on one weekday. */
export const MAX_PERIODS_PER_DAY = 12;
/** Most closed dates a schedule carries. */
export const MAX_CLOSED_DATES = 1000;

export type BusinessHoursErrorCode = 'invalid-time-zone' | 'invalid-time' | 'open-not-before-close' | 'invalid-date' | 'invalid';

const TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight of an `HH:MM` time (`24:00` is 1440, the end of the day). */
function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    // RangeError: not a zone this runtime knows. That is exactly the answer sought.
    return false;
  }
}

function isCalendarDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A wall-clock time `HH:MM`, from `00:00` to `24:00` (only useful as a closing time). */
export const TimeOfDaySchema = v.pipe(v.string(), v.regex(TIME, 'invalid-time'));

/** One opening period of a day: open at `open` (inclusive), closed again at `close` (exclusive). */
export const OpeningPeriodSchema = v.pipe(
  v.object({ open: TimeOfDaySchema, close: TimeOfDaySchema }),
  v.check((p) => minutesOf(p.open) < minutesOf(p.close), 'open-not-before-close'),
);
export type OpeningPeriod = v.InferOutput<typeof OpeningPeriodSchema>;

const DaySchema = v.optional(v.pipe(v.array(OpeningPeriodSchema), v.maxLength(MAX_PERIODS_PER_DAY)));

/**
 * A shop's service hours. `weekly` is keyed by weekday, Sunday = 0; a missing day is closed. A
 * period cannot cross midnight: 22:00–02:00 is `22:00–24:00` on one day and `00:00–02:00` on the next.
 * `closedDates` are `YYYY-MM-DD` dates in the shop's zone when it is closed all day.
 *
 * @example
 * const hours: BusinessHours = {
 *   timeZone: 'Asia/Shanghai',
 *   weekly: { 1: [{ open: '09:00', close: '12:00' }, { open: '13:00', close: '18:00' }] },
 *   closedDates: ['2025-10-01'],
 * }
 */
export const BusinessHoursSchema = v.object({
  /** IANA time zone of the shop, e.g. `Asia/Shanghai`. */
  timeZone: v.pipe(v.string(), v.maxLength(64), v.check(isTimeZone, 'invalid-time-zone')),
  weekly: v.strictObject({ 0: DaySchema, 1: DaySchema, 2: DaySchema, 3: DaySchema, 4: DaySchema, 5: DaySchema, 6: DaySchema }),
  closedDates: v.optional(v.pipe(v.array(v.pipe(v.string(), v.check(isCalendarDate, 'invalid-date'))), v.maxLength(MAX_CLOSED_DATES))),
});
export type BusinessHours = v.InferOutput<typeof BusinessHoursSchema>;

const CODES: ReadonlySet<string> = new Set<BusinessHoursErrorCode>(['invalid-time-zone', 'invalid-time', 'open-not-before-close', 'invalid-date']);

/**
 * Checks untrusted service hours (a shop's settings, a server's config), collecting every problem
 * with its path (`weekly.1[0].close`) and a code the settings form can translate.
 */
export function validateBusinessHours(input: unknown): Validation<BusinessHours, BusinessHoursErrorCode> {
  const result = v.safeParse(BusinessHoursSchema, input);
  if (result.success) return { ok: true, value: result.output };
  const errors: FieldError<BusinessHoursErrorCode>[] = result.issues.map((issue) => ({
    path: (v.getDotPath(issue) ?? '').replace(/\.(\d+)(?=\.|$)/g, (m, i: string, offset: number, whole: string) =>
      // Weekday keys stay dotted (weekly.1); array indices become brackets ([0]).
      whole.slice(0, offset).endsWith('weekly') ? m : `[${i}]`,
    ),
    code: CODES.has(issue.message) ? (issue.message as BusinessHoursErrorCode) : 'invalid',
  }));
  return { ok: false, errors };
}

/** The demo shop: every day 09:00–22:00, Beijing time. */
export const DEMO_BUSINESS_HOURS: BusinessHours = {
  timeZone: 'Asia/Shanghai',
  weekly: {
    0: [{ open: '09:00', close: '22:00' }],
    1: [{ open: '09:00', close: '22:00' }],
    2: [{ open: '09:00', close: '22:00' }],
    3: [{ open: '09:00', close: '22:00' }],
    4: [{ open: '09:00', close: '22:00' }],
    5: [{ open: '09:00', close: '22:00' }],
    6: [{ open: '09:00', close: '22:00' }],
  },
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= 32) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall-clock time at instant `at`, as milliseconds of a UTC calendar (so that UTC getters read it). */
function wallClock(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(at)) parts[type] = Number(value);
  const ms = ((at % 1000) + 1000) % 1000;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + ms;
}

/**
 * The instants at which the zone's clock shows `wall`, earliest first: usually one; two when the
 * clock is set back and the time happens twice; in a spring-forward gap, where it never happens,
 * the first instant after it (when the clock jumps past `wall`).
 */
function instantsAt(timeZone: string, wall: number): number[] {
  // Zones change their offset at most once within a couple of days, so the offsets a day either
  // side are the only candidates.
  const offsetBefore = wallClock(timeZone, wall - DAY_MS) - (wall - DAY_MS);
  const offsetAfter = wallClock(timeZone, wall + DAY_MS) - (wall + DAY_MS);
  const candidates = [...new Set([wall - offsetBefore, wall - offsetAfter])].sort((a, b) => a - b);
  const exact = candidates.filter((t) => wallClock(timeZone, t) === wall);
  if (exact.length > 0) return exact;
  // In the gap: binary search for the first instant whose clock reads past `wall`.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(timeZone, mid) > wall) hi = mid;
    else lo = mid;
  }
  return [hi];
}

const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function periodsOn(hours: BusinessHours, day: number): readonly OpeningPeriod[] {
  const weekday = new Date(day * DAY_MS).getUTCDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6;
  return hours.weekly[weekday] ?? [];
}

/**
 * Whether the shop is open at `now` (ms since the epoch): a period of the local weekday contains the
 * local time — opening time included, closing time excluded — and the local date is not closed.
 *
 * @example
 * isOpen(DEMO_BUSINESS_HOURS, Date.parse('2025-05-01T01:00:00Z')) // true: 09:00 in Shanghai
 */
export function isOpen(hours: BusinessHours, now: number): boolean {
  assertNow(now);
  const wall = wallClock(hours.timeZone, now);
  const day = Math.floor(wall / DAY_MS);
  if (hours.closedDates?.includes(isoDate(day))) return false;
  const minute = (wall - day * DAY_MS) / 60_000;
  return periodsOn(hours, day).some((p) => minutesOf(p.open) <= minute && minute < minutesOf(p.close));
}

/**
 * The earliest instant at or after `now` when the shop is open (ms since the epoch): `now` itself
 * while it is open, or `null` if it never opens again (no periods at all). An opening time that a
 * daylight-saving jump skips opens when the clock jumps past it; one that happens twice opens at
 * each, whichever is next.
 *
 * @example
 * nextOpening(DEMO_BUSINESS_HOURS, Date.parse('2025-05-01T15:00:00Z')) // 2025-05-02T01:00:00Z, 09:00 in Shanghai
 */
export function nextOpening(hours: BusinessHours, now: number): number | null {
  if (isOpen(hours, now)) return now;
  const closed = new Set(hours.closedDates ?? []);
  const today = Math.floor(wallClock(hours.timeZone, now) / DAY_MS);
  // Every weekday recurs within 7 days and each closed date removes at most one day, so if the shop
  // opens at all it opens within this many days (one more for a period lost to a DST jump).
  const horizon = 8 + closed.size;
  for (let day = today; day <= today + horizon; day++) {
    if (closed.has(isoDate(day))) continue;
    const opens = periodsOn(hours, day)
      .map((p) => minutesOf(p.open))
      .sort((a, b) => a - b);
    for (const open of opens) {
      for (const at of instantsAt(hours.timeZone, day * DAY_MS + open * 60_000)) {
        // Check the candidate: a period swallowed by a DST jump, or a date that is closed in
        // local time at that instant, does not count.
        if (at >= now && isOpen(hours, at)) return at;
      }
    }
  }
  return null;
}
