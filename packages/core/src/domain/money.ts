import * as v from 'valibot';
import { RefusedError } from '../errors.js';

/** An ISO 4217 currency code: three upper-case letters (`CNY`, `JPY`, `USD`). */
export const CurrencySchema = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as "CNY"'));

/**
 * An amount of money in integer minor units (fen for CNY, cents for USD, yen for JPY) with its
 * ISO 4217 currency. Never negative; arithmetic never uses floats.
 *
 * @example
 * const price: Money = { amount: 12_50, currency: 'CNY' } // ¥12.50
 */
export const MoneySchema = v.object({
  amount: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  currency: CurrencySchema,
});
export type Money = v.InferOutput<typeof MoneySchema>;

/** Why a money operation was refused. */
export type MoneyErrorReason = 'currency-mismatch' | 'not-an-integer' | 'negative' | 'invalid-currency' | 'out-of-range';

/**
 * A money operation that would lose correctness: mixing currencies, fractional minor units, a
 * negative result or a number too large to stay exact. A `RefusedError` with a typed `reason`.
 */
export class MoneyError extends RefusedError {
  declare readonly reason: MoneyErrorReason;

  constructor(reason: MoneyErrorReason, message: string) {
    super(message, { reason });
    this.name = 'MoneyError';
  }
}

function checkAmount(amount: number, what: string): void {
  if (typeof amount !== 'number' || !Number.isInteger(amount)) {
    throw new MoneyError('not-an-integer', `${what} must be an integer number of minor units, got ${String(amount)}.`);
  }
  if (amount < 0) throw new MoneyError('negative', `${what} must not be negative, got ${amount}.`);
  if (!Number.isSafeInteger(amount)) throw new MoneyError('out-of-range', `${what} is too large to stay exact: ${amount}.`);
}

function checkCurrency(currency: string): void {
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new MoneyError('invalid-currency', `Currency must be an ISO 4217 code such as "CNY", got "${String(currency)}".`);
  }
}

function checkMoney(m: Money, what = 'Amount'): void {
  checkCurrency(m.currency);
  checkAmount(m.amount, what);
}

function checkSameCurrency(a: Money, b: Money): void {
  checkMoney(a);
  checkMoney(b);
  if (a.currency !== b.currency) {
    throw new MoneyError('currency-mismatch', `Cannot combine ${a.currency} with ${b.currency}.`);
  }
}

/**
 * Makes a `Money`, refusing fractional or negative amounts and malformed currency codes.
 *
 * @example
 * money(1999, 'CNY') // ¥19.99
 */
export function money(amount: number, currency: string): Money {
  checkCurrency(currency);
  checkAmount(amount, 'Amount');
  return { amount, currency };
}

/** Zero in the given currency. */
export function zeroMoney(currency: string): Money {
  return money(0, currency);
}

/** `a + b`. Refuses mixed currencies. */
export function addMoney(a: Money, b: Money): Money {
  checkSameCurrency(a, b);
  const amount = a.amount + b.amount;
  checkAmount(amount, 'Sum');
  return { amount, currency: a.currency };
}

/** `a − b`. Refuses mixed currencies and a negative result (money is never negative here). */
export function subtractMoney(a: Money, b: Money): Money {
  checkSameCurrency(a, b);
  if (b.amount > a.amount) {
    throw new MoneyError('negative', `Cannot subtract ${b.amount} from ${a.amount} ${a.currency}: the result would be negative.`);
  }
  return { amount: a.amount - b.amount, currency: a.currency };
}

/** `a − b`, or zero when `b` is larger. For "what is left" questions such as paid − refunded. */
export function subtractMoneyFloor(a: Money, b: Money): Money {
  checkSameCurrency(a, b);
  return { amount: Math.max(0, a.amount - b.amount), currency: a.currency };
}

/** −1, 0 or 1 as `a` is less than, equal to or greater than `b`. Refuses mixed currencies. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  checkSameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

/** The smallest of the given amounts (at least one). Refuses mixed currencies. */
export function minMoney(first: Money, ...rest: Money[]): Money {
  checkMoney(first);
  let min = first;
  for (const m of rest) if (compareMoney(m, min) < 0) min = m;
  return { amount: min.amount, currency: min.currency };
}

/** `m × quantity` for a whole, non-negative quantity. */
export function multiplyMoney(m: Money, quantity: number): Money {
  checkMoney(m);
  if (!Number.isInteger(quantity)) throw new MoneyError('not-an-integer', `Quantity must be a whole number, got ${quantity}.`);
  if (quantity < 0) throw new MoneyError('negative', `Quantity must not be negative, got ${quantity}.`);
  const amount = m.amount * quantity;
  checkAmount(amount, 'Product');
  return { amount, currency: m.currency };
}

/** The sum of a list of amounts; `currency` gives the result for an empty list. */
export function sumMoney(list: readonly Money[], currency: string): Money {
  let total = zeroMoney(currency);
  for (const m of list) total = addMoney(total, m);
  return total;
}

/**
 * `m × part / whole`, rounded down to a whole minor unit: the share of a line's paid amount that
 * `part` of its `whole` units carry. Rounding down means shares never add up to more than was paid;
 * all units together (`part === whole`) give back the exact amount. Exact for any safe amount.
 */
export function prorateMoney(m: Money, part: number, whole: number): Money {
  checkMoney(m);
  if (!Number.isInteger(part) || !Number.isInteger(whole)) {
    throw new MoneyError('not-an-integer', `Pro rata shares need whole numbers, got ${part}/${whole}.`);
  }
  if (part < 0 || whole <= 0 || part > whole) {
    throw new MoneyError('out-of-range', `Pro rata share ${part}/${whole} is not between 0 and 1.`);
  }
  const amount = Number((BigInt(m.amount) * BigInt(part)) / BigInt(whole));
  return { amount, currency: m.currency };
}

/**
 * How many digits a currency's minor unit has (CNY and USD 2, JPY 0, KWD 3), as `Intl` knows it.
 */
export function minorUnitDigits(currency: string): number {
  checkCurrency(currency);
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Formats money for display with `Intl.NumberFormat`, placing the decimal point by the currency's
 * minor-unit digits. The amount is handed to `Intl` as an exact decimal string, so no float ever
 * rounds it.
 *
 * @example
 * formatMoney(money(1250, 'CNY'), 'zh-CN') // "¥12.50"
 * formatMoney(money(1250, 'JPY'), 'ja-JP') // "￥1,250"
 */
export function formatMoney(m: Money, locale: string | readonly string[]): string {
  checkMoney(m);
  const format = new Intl.NumberFormat(locale as string | string[], { style: 'currency', currency: m.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  if (digits === 0) return format.format(`${m.amount}`);
  const padded = String(m.amount).padStart(digits + 1, '0');
  return format.format(`${padded.slice(0, -digits)}.${padded.slice(-digits)}` as `${number}`);
}
