/**
 * Reads an amount a buyer typed in major units ("12.30", "１２.３", "¥1,000") as integer minor
 * units for a currency with `digits` minor digits — by joining digit strings, never by
 * multiplying a float (12.3 × 100 is 1229.9999…). Null when it is not a plain non-negative amount
 * with at most `digits` decimals, or too large to stay exact.
 *
 * @example
 * parseMajorUnits('12.30', 2) // 1230
 * parseMajorUnits('0.1', 2)   // 10
 * parseMajorUnits('1.005', 2) // null
 */
export function parseMajorUnits(text: string, digits: number): number | null {
  const plain = text.normalize('NFKC').replace(/[\s,]/g, '').replace(/^[¥$€£]/, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(plain);
  if (!match) return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (whole === '' && fraction === '') return null;
  if (fraction.length > digits) return null;
  const minor = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Integer minor units as a plain major-unit string for an input: 1230 → "12.30". */
export function formatMajorUnits(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const padded = String(minor).padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
