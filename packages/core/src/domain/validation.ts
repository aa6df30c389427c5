/**
 * One problem with one field of a buyer's input, for the widget to show beside that field.
 * `path` uses dots and brackets (`lines[0].quantity`); `code` is a stable machine code the widget
 * translates, with `params` for the message (limits, dates, amounts).
 *
 * @example
 * { path: 'amount', code: 'amount-above-refundable', params: { max: { amount: 5000, currency: 'CNY' } } }
 */
export interface FieldError<Code extends string = string> {
  readonly path: string;
  readonly code: Code;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The result of a validator that collects every problem rather than stopping at the first. */
export type Validation<T, Code extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError<Code>[] };

/** `lines[0].quantity: quantity-above-bought` — for error messages and logs, not for display. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.code}`).join('; ');
}
