import { describe, expect, it } from 'vitest';
import { businessHoursFromEnv, parseBusinessHours } from './business-hours.js';

const shanghai = (h: number, m = 0) => Date.UTC(2025, 5, 1, h - 8, m); // UTC+8

describe('business hours from XIAOER_BUSINESS_HOURS', () => {
  it('is open inside the daily window in the given time zone, and closed outside it', () => {
    const open = businessHoursFromEnv('Asia/Shanghai 09:00-22:00')!;
    expect(open(shanghai(8, 59))).toBe(false);
    expect(open(shanghai(9, 0))).toBe(true);
    expect(open(shanghai(21, 59))).toBe(true);
    expect(open(shanghai(22, 0))).toBe(false);
  });

  it('handles a window past midnight', () => {
    const open = businessHoursFromEnv('Asia/Shanghai 20:00-02:00')!;
    expect(open(shanghai(23))).toBe(true);
    expect(open(shanghai(25))).toBe(true);
    expect(open(shanghai(12))).toBe(false);
    expect(parseBusinessHours('Asia/Shanghai 20:00-02:00').weekly[3]).toEqual([{ open: '00:00', close: '02:00' }, { open: '20:00', close: '24:00' }]);
  });

  it('is always open when unset, and refuses a malformed setting', () => {
    expect(businessHoursFromEnv(undefined)).toBeUndefined();
    expect(businessHoursFromEnv('  ')).toBeUndefined();
    expect(() => parseBusinessHours('9 to 5')).toThrow(/must look like/);
    expect(() => parseBusinessHours('Asia/Shanghai 09:00-09:00')).toThrow(/empty/);
    expect(() => parseBusinessHours('Asia/Shanghai 09:00-25:00')).toThrow(/not valid/);
    expect(() => parseBusinessHours('Mars/Olympus 09:00-22:00')).toThrow(/unknown time zone/);
  });
});
