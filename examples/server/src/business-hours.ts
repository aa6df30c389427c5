import { isOpen, validateBusinessHours, describeFieldErrors, type BusinessHours, type OpeningPeriod } from '@xiaoer/core';

/**
 * Business hours from `XIAOER_BUSINESS_HOURS`: a time zone and a daily window, e.g.
 * `Asia/Shanghai 09:00-22:00` (a window past midnight, `20:00-02:00`, works too). Unset or empty:
 * always open. The schedule is core's `BusinessHours`, checked by `validateBusinessHours` and read by
 * `isOpen`, so the server and the rules agree on what "open" means.
 */

const SPEC = /^\s*(\S+)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$/;

/** Parses the spec into core's weekly schedule; throws a readable error when it is malformed. */
export function parseBusinessHours(spec: string): BusinessHours {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`XIAOER_BUSINESS_HOURS must look like "Asia/Shanghai 09:00-22:00", got "${spec}"`);
  const [, timeZone, open, close] = m as unknown as [string, string, string, string];
  if (open === close) throw new Error('XIAOER_BUSINESS_HOURS: the window is empty');
  // Core's periods stop at midnight: 20:00–02:00 is 20:00–24:00 plus 00:00–02:00 the next day.
  const day: OpeningPeriod[] = open < close ? [{ open, close }] : [{ open: '00:00', close }, { open, close: '24:00' }].filter((p) => p.open !== p.close);
  const checked = validateBusinessHours({ timeZone, weekly: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, day])) });
  if (!checked.ok) {
    const unknownZone = checked.errors.some((e) => e.code === 'invalid-time-zone');
    throw new Error(unknownZone ? `XIAOER_BUSINESS_HOURS: unknown time zone "${timeZone}"` : `XIAOER_BUSINESS_HOURS "${spec}" is not valid: ${describeFieldErrors(checked.errors)}`);
  }
  return checked.value;
}

/** `isOpen` for the backend from the env value: undefined (always open) when unset. */
export function businessHoursFromEnv(spec: string | undefined): ((now: number) => boolean) | undefined {
  if (!spec || !spec.trim()) return undefined;
  const hours = parseBusinessHours(spec);
  return (now) => isOpen(hours, now);
}
