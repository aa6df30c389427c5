/** Thrown inside a check when the backend does not meet its requirement; `message` is the report's detail. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

/** Thrown inside a check that does not apply (an HTTP-only rule on a WebSocket endpoint, no identity given). */
export class CheckSkip extends Error {
  override readonly name = 'CheckSkip';
}

/** Fails the check with "expected …; got …". */
export function fail(expected: string, got: string): never {
  throw new CheckFailure(`expected ${expected}; got ${got}`);
}

/** Shortens untrusted text for a report line. */
export function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
