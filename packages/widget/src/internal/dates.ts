/**
 * Dates in the chat, in the buyer's time zone (the browser's) and the widget's locale: message
 * times, calendar days and the day separators' labels.
 *
 * Building an `Intl.DateTimeFormat` costs far more than using one (the first loads the locale's
 * data: tens of milliseconds on opening a conversation), so formatters are built once per locale
 * and options and kept for the page's life.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

// The page's very first Intl.DateTimeFormat also starts up the browser's ICU (~20 ms in Chromium,
// whatever the locale): pay that while the page is idle after the widget loads, not when the
// buyer opens the panel.
if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void new Intl.DateTimeFormat().format(0));

/** A shared formatter for `locale` and `options` (built on first use). */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DAY_AND_TIME: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'long' };
const DATE: Intl.DateTimeFormatOptions = { month: 'long', day: 'numeric' };
const DATE_WITH_YEAR: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };

/** The start (local midnight) of the calendar day holding `ms`. */
export function startOfDay(ms: number): number {
  const date = new Date(ms);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** The start of the day after the one starting at `dayStart` (23 or 25 hours later across a DST change). */
function nextDay(dayStart: number): number {
  const date = new Date(dayStart);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
}

/**
 * Calls `onDay(dayStart, index)` at the first of `times` in each calendar day (a day that differs
 * from the previous time's). Messages come in time order, so this builds a date only where a day
 * ends, not one per message.
 */
export function eachNewDay(count: number, timeAt: (index: number) => number, onDay: (dayStart: number, index: number) => void): void {
  let from = Infinity;
  let to = -Infinity;
  for (let i = 0; i < count; i++) {
    const ms = timeAt(i);
    if (ms >= from && ms < to) continue;
    from = startOfDay(ms);
    to = nextDay(from);
    onDay(from, i);
  }
}

/** A message's time: the time of day for today's, with the date for older ones. */
export function formatTime(ms: number, locale: string, now = Date.now()): string {
  const today = startOfDay(now);
  const isToday = ms >= today && ms < nextDay(today);
  return dateFormat(locale, isToday ? TIME : DAY_AND_TIME).format(ms);
}

/**
 * The label of a day separator: `today` or `yesterday` (the locale's words), the weekday within
 * the last week, else the date (with the year when it is not this year's).
 */
export function dayLabel(dayStart: number, locale: string, words: { readonly today: string; readonly yesterday: string }, now = Date.now()): string {
  const today = startOfDay(now);
  // Whole days between the two midnights; rounding absorbs a DST hour.
  const daysAgo = Math.round((today - startOfDay(dayStart)) / 86_400_000);
  if (daysAgo === 0) return words.today;
  if (daysAgo === 1) return words.yesterday;
  if (daysAgo > 1 && daysAgo < 7) return dateFormat(locale, WEEKDAY).format(dayStart);
  const sameYear = new Date(dayStart).getFullYear() === new Date(now).getFullYear();
  return dateFormat(locale, sameYear ? DATE : DATE_WITH_YEAR).format(dayStart);
}
