import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff.js';

describe('fullJitterDelay', () => {
  it('grows its ceiling exponentially up to the cap', () => {
    const top = () => 0.999999;
    expect(fullJitterDelay(0, { baseMs: 100, maxMs: 1000, random: top })).toBe(99);
    expect(fullJitterDelay(2, { baseMs: 100, maxMs: 1000, random: top })).toBe(399);
    expect(fullJitterDelay(10, { baseMs: 100, maxMs: 1000, random: top })).toBe(999);
  });

  it('spreads delays over the whole window, from zero up', () => {
    const delays = Array.from({ length: 2000 }, () => fullJitterDelay(3, { baseMs: 100, maxMs: 10_000 }));
    expect(Math.min(...delays)).toBeLessThan(40);
    expect(Math.max(...delays)).toBeGreaterThan(760);
    expect(Math.max(...delays)).toBeLessThan(800);
  });
});
