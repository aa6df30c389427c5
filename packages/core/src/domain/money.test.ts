import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { RefusedError, XiaoerError } from '../errors.js';
import {
  MoneyError,
  MoneySchema,
  addMoney,
  compareMoney,
  formatMoney,
  minMoney,
  minorUnitDigits,
  money,
  multiplyMoney,
  prorateMoney,
  subtractMoney,
  subtractMoneyFloor,
  sumMoney,
} from './money.js';

function refusal(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MoneyError);
    expect(e).toBeInstanceOf(RefusedError);
    expect(XiaoerError.isInstance(e) && e.code).toBe('refused');
    return e as MoneyError;
  }
  throw new Error('expected a MoneyError');
}

describe('MoneySchema', () => {
  it('accepts integer minor units with an ISO 4217 code', () => {
    expect(v.is(MoneySchema, { amount: 1999, currency: 'CNY' })).toBe(true);
    expect(v.is(MoneySchema, { amount: 0, currency: 'JPY' })).toBe(true);
  });

  it('rejects fractional, negative and unsafe amounts', () => {
    expect(v.is(MoneySchema, { amount: 19.99, currency: 'CNY' })).toBe(false);
    expect(v.is(MoneySchema, { amount: -1, currency: 'CNY' })).toBe(false);
    expect(v.is(MoneySchema, { amount: 2 ** 53, currency: 'CNY' })).toBe(false);
  });

  it('rejects currency codes that are not three upper-case letters', () => {
    for (const currency of ['cny', 'CN', 'CNYY', 'C1Y', '']) expect(v.is(MoneySchema, { amount: 1, currency })).toBe(false);
  });
});

describe('money()', () => {
  it('builds a value', () => {
    expect(money(1250, 'CNY')).toEqual({ amount: 1250, currency: 'CNY' });
  });

  it('refuses fractional amounts', () => {
    expect(refusal(() => money(12.5, 'CNY')).reason).toBe('not-an-integer');
    expect(refusal(() => money(Number.NaN, 'CNY')).reason).toBe('not-an-integer');
  });

  it('refuses negative amounts and bad currency codes', () => {
    expect(refusal(() => money(-1, 'CNY')).reason).toBe('negative');
    expect(refusal(() => money(1, 'rmb')).reason).toBe('invalid-currency');
  });
});

describe('arithmetic', () => {
  it('adds and subtracts in minor units', () => {
    expect(addMoney(money(10, 'CNY'), money(20, 'CNY'))).toEqual(money(30, 'CNY'));
    expect(subtractMoney(money(30, 'CNY'), money(20, 'CNY'))).toEqual(money(10, 'CNY'));
  });

  it('keeps 0.1 + 0.2 exact (integers, not floats)', () => {
    expect(addMoney(money(10, 'USD'), money(20, 'USD')).amount).toBe(30);
  });

  it('refuses mixed currencies in every operation', () => {
    const a = money(100, 'CNY');
    const b = money(100, 'USD');
    for (const op of [() => addMoney(a, b), () => subtractMoney(a, b), () => compareMoney(a, b), () => minMoney(a, b), () => subtractMoneyFloor(a, b)]) {
      const e = refusal(op);
      expect(e.reason).toBe('currency-mismatch');
      expect(e.message).toContain('CNY');
      expect(e.message).toContain('USD');
    }
  });

  it('refuses fractional operands that bypassed money()', () => {
    const bad = { amount: 0.5, currency: 'CNY' };
    expect(refusal(() => addMoney(money(1, 'CNY'), bad)).reason).toBe('not-an-integer');
    expect(refusal(() => compareMoney(bad, money(1, 'CNY'))).reason).toBe('not-an-integer');
  });

  it('refuses a subtraction that would go negative; the floor variant stops at zero', () => {
    expect(refusal(() => subtractMoney(money(10, 'CNY'), money(11, 'CNY'))).reason).toBe('negative');
    expect(subtractMoneyFloor(money(10, 'CNY'), money(11, 'CNY'))).toEqual(money(0, 'CNY'));
  });

  it('refuses a sum that would lose precision', () => {
    expect(refusal(() => addMoney(money(Number.MAX_SAFE_INTEGER, 'CNY'), money(1, 'CNY'))).reason).toBe('out-of-range');
  });

  it('compares', () => {
    expect(compareMoney(money(1, 'CNY'), money(2, 'CNY'))).toBe(-1);
    expect(compareMoney(money(2, 'CNY'), money(2, 'CNY'))).toBe(0);
    expect(compareMoney(money(3, 'CNY'), money(2, 'CNY'))).toBe(1);
  });

  it('takes the minimum of several', () => {
    expect(minMoney(money(5, 'CNY'), money(3, 'CNY'), money(4, 'CNY'))).toEqual(money(3, 'CNY'));
    expect(minMoney(money(5, 'CNY'))).toEqual(money(5, 'CNY'));
  });

  it('multiplies by a whole quantity and refuses fractional or negative ones', () => {
    expect(multiplyMoney(money(1999, 'CNY'), 3)).toEqual(money(5997, 'CNY'));
    expect(multiplyMoney(money(1999, 'CNY'), 0)).toEqual(money(0, 'CNY'));
    expect(refusal(() => multiplyMoney(money(1999, 'CNY'), 1.5)).reason).toBe('not-an-integer');
    expect(refusal(() => multiplyMoney(money(1999, 'CNY'), -1)).reason).toBe('negative');
  });

  it('sums a list, zero for none', () => {
    expect(sumMoney([money(1, 'CNY'), money(2, 'CNY')], 'CNY')).toEqual(money(3, 'CNY'));
    expect(sumMoney([], 'JPY')).toEqual(money(0, 'JPY'));
    expect(refusal(() => sumMoney([money(1, 'USD')], 'CNY')).reason).toBe('currency-mismatch');
  });

  it('prorates by quantity rounding down, exact for all units', () => {
    const paid = money(1000, 'CNY');
    expect(prorateMoney(paid, 1, 3)).toEqual(money(333, 'CNY'));
    expect(prorateMoney(paid, 2, 3)).toEqual(money(666, 'CNY'));
    expect(prorateMoney(paid, 3, 3)).toEqual(paid);
    expect(prorateMoney(money(Number.MAX_SAFE_INTEGER, 'CNY'), 9998, 9999).amount).toBe(
      Number((BigInt(Number.MAX_SAFE_INTEGER) * 9998n) / 9999n),
    );
    expect(refusal(() => prorateMoney(paid, 4, 3)).reason).toBe('out-of-range');
  });
});

describe('formatMoney', () => {
  it('uses two minor-unit digits for CNY', () => {
    expect(minorUnitDigits('CNY')).toBe(2);
    expect(formatMoney(money(1250, 'CNY'), 'zh-CN')).toBe('¥12.50');
  });

  it('uses zero minor-unit digits for JPY (1250 yen is ¥1,250, not ¥12.50)', () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    const text = formatMoney(money(1250, 'JPY'), 'ja-JP');
    expect(text).toMatch(/1,250/);
    expect(text).not.toMatch(/12\.5/);
  });

  it('uses three digits for KWD and pads small amounts', () => {
    expect(formatMoney(money(5, 'KWD'), 'en-US')).toMatch(/0\.005/);
    expect(formatMoney(money(5, 'USD'), 'en-US')).toBe('$0.05');
  });

  it('formats large amounts exactly', () => {
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('refuses a fractional amount rather than rounding it', () => {
    expect(refusal(() => formatMoney({ amount: 1.5, currency: 'CNY' }, 'zh-CN')).reason).toBe('not-an-integer');
  });
});
