import { describe, expect, it } from 'vitest';
import { formatMajorUnits, parseMajorUnits } from './money-input.js';

describe('parseMajorUnits', () => {
  it('reads major units as exact integer minor units, without float drift', () => {
    expect(parseMajorUnits('12.30', 2)).toBe(1230);
    expect(parseMajorUnits('12.3', 2)).toBe(1230);
    expect(parseMajorUnits('12', 2)).toBe(1200);
    expect(parseMajorUnits('0.1', 2)).toBe(10);
    expect(parseMajorUnits('.5', 2)).toBe(50);
    expect(parseMajorUnits('19.99', 2)).toBe(1999); // 19.99 * 100 = 1998.9999999999998
    expect(parseMajorUnits('1.15', 2)).toBe(115); // 1.15 * 100 = 114.99999999999999
    expect(parseMajorUnits('4.35', 2)).toBe(435); // 4.35 * 100 = 434.99999999999994
    expect(parseMajorUnits('1,234.50', 2)).toBe(123450);
    expect(parseMajorUnits(' ¥ 8.00 ', 2)).toBe(800);
    expect(parseMajorUnits('１２．３０', 2)).toBe(1230); // full-width
    expect(parseMajorUnits('1250', 0)).toBe(1250); // JPY
  });

  it('refuses what is not a plain non-negative amount', () => {
    for (const text of ['', '.', 'abc', '-1', '1.005', '1e3', '12.3.4', '0x10', '1/2']) expect(parseMajorUnits(text, 2)).toBeNull();
    expect(parseMajorUnits('1.5', 0)).toBeNull();
    expect(parseMajorUnits('9'.repeat(20), 2)).toBeNull();
  });

  it('formats minor units back for an input', () => {
    expect(formatMajorUnits(1230, 2)).toBe('12.30');
    expect(formatMajorUnits(5, 2)).toBe('0.05');
    expect(formatMajorUnits(0, 2)).toBe('0.00');
    expect(formatMajorUnits(1250, 0)).toBe('1250');
    expect(parseMajorUnits(formatMajorUnits(123_456_789, 2), 2)).toBe(123_456_789);
  });
});
