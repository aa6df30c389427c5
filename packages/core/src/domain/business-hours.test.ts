import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { BusinessHoursSchema, DEMO_BUSINESS_HOURS, isOpen, nextOpening, validateBusinessHours, type BusinessHours } from './business-hours.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const everyDay = (open: string, close: string) => Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [{ open, close }]]));

describe('DEMO_BUSINESS_HOURS (Asia/Shanghai, 09:00–22:00 every day)', () => {
  it('is valid', () => {
    expect(validateBusinessHours(DEMO_BUSINESS_HOURS)).toEqual({ ok: true, value: DEMO_BUSINESS_HOURS });
  });

  it('is open from 09:00 inclusive to 22:00 exclusive, Beijing time', () => {
    // Shanghai is UTC+8 all year: 09:00 local is 01:00Z, 22:00 local is 14:00Z.
    expect(isOpen(DEMO_BUSINESS_HOURS, at('2025-05-01T00:59:59.999Z'))).toBe(false);
    expect(isOpen(DEMO_BUSINESS_HOURS, at('2025-05-01T01:00:00.000Z'))).toBe(true);
    expect(isOpen(DEMO_BUSINESS_HOURS, at('2025-05-01T13:59:59.999Z'))).toBe(true);
    expect(isOpen(DEMO_BUSINESS_HOURS, at('2025-05-01T14:00:00.000Z'))).toBe(false);
  });

  it('opens next at 09:00 the following morning once closed, and "now" while open', () => {
    expect(iso(nextOpening(DEMO_BUSINESS_HOURS, at('2025-05-01T14:00:00Z')))).toBe('2025-05-02T01:00:00.000Z');
    expect(iso(nextOpening(DEMO_BUSINESS_HOURS, at('2025-05-01T20:00:00Z')))).toBe('2025-05-02T01:00:00.000Z');
    expect(nextOpening(DEMO_BUSINESS_HOURS, at('2025-05-01T05:00:00Z'))).toBe(at('2025-05-01T05:00:00Z'));
  });
});

describe('isOpen and nextOpening', () => {
  it('keep the shop closed all day on a holiday, taken as a date in the shop’s zone', () => {
    const hours: BusinessHours = { ...DEMO_BUSINESS_HOURS, closedDates: ['2025-10-01'] };
    // 2025-10-01 12:00 in Shanghai.
    expect(isOpen(hours, at('2025-10-01T04:00:00Z'))).toBe(false);
    // 2025-09-30 20:00 in Shanghai: still the day before, open (the UTC date is the same).
    expect(isOpen(hours, at('2025-09-30T12:00:00Z'))).toBe(true);
    // From the evening before, the next opening skips the holiday: 2025-10-02 09:00 Shanghai.
    expect(iso(nextOpening(hours, at('2025-09-30T14:30:00Z')))).toBe('2025-10-02T01:00:00.000Z');
  });

  it('uses the local date for closed dates even when UTC is still on the day before', () => {
    const hours: BusinessHours = { timeZone: 'Asia/Shanghai', weekly: everyDay('00:00', '24:00'), closedDates: ['2025-10-01'] };
    // 2025-10-01 00:30 in Shanghai is 2025-09-30 16:30 UTC.
    expect(isOpen(hours, at('2025-09-30T16:30:00Z'))).toBe(false);
    expect(isOpen(hours, at('2025-09-30T15:59:59Z'))).toBe(true);
  });

  it('keeps a period ending at 24:00 open until midnight, and continues into a period starting at 00:00', () => {
    // Friday 18:00–24:00, Saturday 00:00–02:00, in UTC to keep the arithmetic visible.
    const hours: BusinessHours = { timeZone: 'UTC', weekly: { 5: [{ open: '18:00', close: '24:00' }], 6: [{ open: '00:00', close: '02:00' }] } };
    expect(isOpen(hours, at('2025-05-02T23:59:59.999Z'))).toBe(true); // Friday
    expect(isOpen(hours, at('2025-05-03T00:00:00.000Z'))).toBe(true); // Saturday
    expect(isOpen(hours, at('2025-05-03T02:00:00.000Z'))).toBe(false);
    expect(iso(nextOpening(hours, at('2025-05-02T17:00:00Z')))).toBe('2025-05-02T18:00:00.000Z');
    expect(iso(nextOpening(hours, at('2025-05-03T02:00:00Z')))).toBe('2025-05-09T18:00:00.000Z');
  });

  it('closes at 24:00 when the next day has no period starting at midnight', () => {
    const hours: BusinessHours = { timeZone: 'UTC', weekly: { 5: [{ open: '20:00', close: '24:00' }] } };
    expect(isOpen(hours, at('2025-05-02T23:59:59.999Z'))).toBe(true);
    expect(isOpen(hours, at('2025-05-03T00:00:00.000Z'))).toBe(false);
  });

  it('picks the earliest of several periods in a day, including a later one the same day', () => {
    const hours: BusinessHours = {
      timeZone: 'UTC',
      weekly: { ...everyDay('13:00', '18:00'), 1: [{ open: '13:00', close: '18:00' }, { open: '09:00', close: '12:00' }] },
    };
    // Monday 2025-05-05: 12:30 is in the lunch break.
    expect(isOpen(hours, at('2025-05-05T12:30:00Z'))).toBe(false);
    expect(iso(nextOpening(hours, at('2025-05-05T12:30:00Z')))).toBe('2025-05-05T13:00:00.000Z');
    expect(iso(nextOpening(hours, at('2025-05-05T06:00:00Z')))).toBe('2025-05-05T09:00:00.000Z');
  });

  it('returns null when the shop never opens', () => {
    expect(nextOpening({ timeZone: 'Asia/Shanghai', weekly: {} }, at('2025-05-01T00:00:00Z'))).toBeNull();
    expect(nextOpening({ timeZone: 'Asia/Shanghai', weekly: { 1: [] } }, at('2025-05-01T00:00:00Z'))).toBeNull();
  });

  it('refuses a "now" that is not integer milliseconds since the epoch', () => {
    expect(() => isOpen(DEMO_BUSINESS_HOURS, Number.NaN)).toThrow(/now/);
    expect(() => nextOpening(DEMO_BUSINESS_HOURS, -1)).toThrow(/now/);
  });
});

describe('daylight saving time (America/New_York, 09:00–17:00 every day)', () => {
  const ny: BusinessHours = { timeZone: 'America/New_York', weekly: everyDay('09:00', '17:00') };

  it('opens at 09:00 local on both sides of the March switch (UTC−5 → UTC−4 on 2024-03-10)', () => {
    expect(isOpen(ny, at('2024-03-09T14:00:00Z'))).toBe(true); // Saturday 09:00 EST
    expect(isOpen(ny, at('2024-03-10T13:00:00Z'))).toBe(true); // Sunday 09:00 EDT
    expect(isOpen(ny, at('2024-03-10T12:59:59Z'))).toBe(false); // Sunday 08:59 EDT
    expect(isOpen(ny, at('2024-03-10T21:00:00Z'))).toBe(false); // Sunday 17:00 EDT
    // Saturday 17:00 EST → Sunday 09:00 EDT is 15 hours, not 16.
    expect(iso(nextOpening(ny, at('2024-03-09T22:00:00Z')))).toBe('2024-03-10T13:00:00.000Z');
  });

  it('opens at 09:00 local on both sides of the November switch (UTC−4 → UTC−5 on 2024-11-03)', () => {
    expect(isOpen(ny, at('2024-11-02T13:00:00Z'))).toBe(true); // Saturday 09:00 EDT
    expect(isOpen(ny, at('2024-11-03T13:30:00Z'))).toBe(false); // Sunday 08:30 EST
    expect(isOpen(ny, at('2024-11-03T14:00:00Z'))).toBe(true); // Sunday 09:00 EST
    // Saturday 17:00 EDT → Sunday 09:00 EST is 17 hours.
    expect(iso(nextOpening(ny, at('2024-11-02T21:00:00Z')))).toBe('2024-11-03T14:00:00.000Z');
  });

  it('opens when the clock jumps past an opening time that the March switch skips', () => {
    // Sunday 02:30–04:00; on 2024-03-10 the clock goes from 01:59:59 EST straight to 03:00 EDT.
    const hours: BusinessHours = { timeZone: 'America/New_York', weekly: { 0: [{ open: '02:30', close: '04:00' }] } };
    expect(iso(nextOpening(hours, at('2024-03-09T12:00:00Z')))).toBe('2024-03-10T07:00:00.000Z'); // 03:00 EDT
    expect(isOpen(hours, at('2024-03-10T07:00:00Z'))).toBe(true);
    expect(isOpen(hours, at('2024-03-10T06:59:59Z'))).toBe(false); // 01:59 EST
  });

  it('skips a period that the March switch swallows whole', () => {
    const hours: BusinessHours = { timeZone: 'America/New_York', weekly: { 0: [{ open: '02:00', close: '02:45' }] } };
    // Next Sunday, 2024-03-17 02:00 EDT.
    expect(iso(nextOpening(hours, at('2024-03-09T12:00:00Z')))).toBe('2024-03-17T06:00:00.000Z');
  });

  it('opens at each occurrence of a time the November switch repeats', () => {
    // Sunday 01:30–01:45; on 2024-11-03 01:00–02:00 happens first in EDT, then again in EST.
    const hours: BusinessHours = { timeZone: 'America/New_York', weekly: { 0: [{ open: '01:30', close: '01:45' }] } };
    expect(iso(nextOpening(hours, at('2024-11-03T04:00:00Z')))).toBe('2024-11-03T05:30:00.000Z'); // 01:30 EDT
    expect(isOpen(hours, at('2024-11-03T05:50:00Z'))).toBe(false); // 01:50 EDT
    expect(iso(nextOpening(hours, at('2024-11-03T05:50:00Z')))).toBe('2024-11-03T06:30:00.000Z'); // 01:30 EST
    expect(isOpen(hours, at('2024-11-03T06:40:00Z'))).toBe(true); // 01:40 EST
  });
});

describe('validateBusinessHours', () => {
  const base = { timeZone: 'Asia/Shanghai', weekly: { 1: [{ open: '09:00', close: '18:00' }] } };

  it('accepts a period ending at 24:00 and an optional closedDates list', () => {
    expect(validateBusinessHours({ ...base, weekly: { 5: [{ open: '20:00', close: '24:00' }] }, closedDates: ['2024-02-29'] }).ok).toBe(true);
  });

  it.each([
    ['a time without a leading zero', { ...base, weekly: { 1: [{ open: '9:00', close: '18:00' }] } }, 'weekly.1[0].open', 'invalid-time'],
    ['an hour past 24', { ...base, weekly: { 1: [{ open: '09:00', close: '25:00' }] } }, 'weekly.1[0].close', 'invalid-time'],
    ['minutes past 24:00', { ...base, weekly: { 1: [{ open: '09:00', close: '24:30' }] } }, 'weekly.1[0].close', 'invalid-time'],
    ['open equal to close', { ...base, weekly: { 2: [{ open: '10:00', close: '10:00' }] } }, 'weekly.2[0]', 'open-not-before-close'],
    ['open after close (a period across midnight)', { ...base, weekly: { 2: [{ open: '22:00', close: '02:00' }] } }, 'weekly.2[0]', 'open-not-before-close'],
    ['opening at 24:00', { ...base, weekly: { 2: [{ open: '24:00', close: '24:00' }] } }, 'weekly.2[0]', 'open-not-before-close'],
    ['an unknown time zone', { ...base, timeZone: 'Mars/Olympus_Mons' }, 'timeZone', 'invalid-time-zone'],
    ['an impossible closed date', { ...base, closedDates: ['2025-02-29'] }, 'closedDates[0]', 'invalid-date'],
    ['a closed date in another format', { ...base, closedDates: ['01/10/2025'] }, 'closedDates[0]', 'invalid-date'],
    ['a weekday outside 0–6', { ...base, weekly: { 7: [{ open: '09:00', close: '18:00' }] } }, 'weekly.7', 'invalid'],
    ['periods that are not a list', { ...base, weekly: { 1: { open: '09:00', close: '18:00' } } }, 'weekly.1', 'invalid'],
  ])('rejects %s', (_name, input, path, code) => {
    const result = validateBusinessHours(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, code });
  });

  it('rejects what is not a schedule at all', () => {
    expect(validateBusinessHours(null).ok).toBe(false);
    expect(validateBusinessHours({ timeZone: 'UTC' }).ok).toBe(false);
    expect(v.is(BusinessHoursSchema, 'always open')).toBe(false);
  });
});
