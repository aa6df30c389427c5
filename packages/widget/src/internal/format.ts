import { DAY_MS, HOUR_MS } from '@xiaoer/core';

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    formats.set(key, format);
  }
  return format;
}

/** "Jan 10, 2025" / "2025年1月10日". */
export const formatDate = (ms: number, locale: string): string => dateFormat(locale, false).format(ms);

/** "Jan 10, 2025, 4:00 PM" / "2025年1月10日 16:00". */
export const formatDateTime = (ms: number, locale: string): string => dateFormat(locale, true).format(ms);

/** What is left until a deadline, in the unit a person would say it in. */
export type TimeLeft = { readonly unit: 'days' | 'hours'; readonly count: number } | { readonly unit: 'soon' | 'passed' };

/**
 * Whole days left (rounded down) when a day or more remains, else whole hours, else "soon";
 * "passed" once the deadline is reached.
 */
export function timeLeft(at: number, now: number): TimeLeft {
  const left = at - now;
  if (left <= 0) return { unit: 'passed' };
  if (left >= DAY_MS) return { unit: 'days', count: Math.floor(left / DAY_MS) };
  if (left >= HOUR_MS) return { unit: 'hours', count: Math.floor(left / HOUR_MS) };
  return { unit: 'soon' };
}

/** `<time datetime>` value. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/**
 * A timeline (kept oldest first, as core and the protocol keep it) newest first. Entries with the
 * same time keep their recorded order, reversed: the one recorded later shows first.
 */
export function newestFirst<T extends { readonly at: number }>(entries: readonly T[]): T[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.at - a.entry.at || b.index - a.index)
    .map((x) => x.entry);
}
