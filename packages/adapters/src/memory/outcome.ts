import type { WireError } from '@xiaoer/core';

/** What a command or query answers: its ack/result payload, or the error its nack carries. */
export type Outcome<R = Readonly<Record<string, unknown>> | undefined> = { ok: true; result: R } | { ok: false; error: WireError };

type ErrorExtra = Partial<Omit<WireError, 'code' | 'message'>>;

const MAX_FIELDS = 50;

export function refuse(code: string, message: string, extra: ErrorExtra = {}): WireError {
  return { code, message, retryable: false, ...extra };
}

export const fail = (code: string, message: string, extra: ErrorExtra = {}): { ok: false; error: WireError } => ({
  ok: false,
  error: refuse(code, message, extra),
});

export const done = <R>(result: R): { ok: true; result: R } => ({ ok: true, result });

export const LOGIN_REQUIRED = () => fail('unauthorized', 'log in to see and change orders and after-sales cases', { reason: 'login-required' });
export const NOT_FOUND = (what: string) => fail('not-found', `no such ${what}`);

/** Field errors as the wire carries them, capped so a hostile request cannot inflate the nack. */
export const fields = (errors: readonly { path: string; code: string }[]) => errors.slice(0, MAX_FIELDS).map((e) => ({ path: e.path, code: e.code }));
