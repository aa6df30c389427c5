const MARKER = Symbol.for('xiaoer.error');

/** Machine-readable error codes. Servers send the same codes in `nack` and `error` frames. */
export type XiaoerErrorCode =
  | 'transport'
  | 'offline'
  | 'timeout'
  | 'protocol'
  | 'refused'
  | 'invalid-transition'
  | 'unauthorized'
  | 'not-found'
  | 'rate-limited'
  | 'internal';

/** One field of a refused form and why (`{ path: 'address.phone', code: 'invalid-phone' }`). */
export interface FieldProblem {
  readonly path: string;
  readonly code: string;
}

export interface XiaoerErrorOptions {
  cause?: unknown;
  /** Whether retrying the same operation later may succeed. Defaults by code. */
  retryable?: boolean;
  /** A machine-readable reason the UI can translate (e.g. `already-shipped`). */
  reason?: string;
  /** Field-level problems, for forms. */
  fields?: readonly FieldProblem[];
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<XiaoerErrorCode> = new Set([
  'transport',
  'offline',
  'timeout',
  'rate-limited',
  'internal',
]);

/**
 * The one error base class of Xiaoer. Every failure the SDK reports is one of these, with a
 * stable `code` and an `isRetryable` flag; `XiaoerError.isInstance` works across two loaded copies.
 *
 * @example
 * try { await client.cancelOrder(id) } catch (e) {
 *   if (XiaoerError.isInstance(e) && !e.isRetryable) showReason(e.message)
 * }
 */
export class XiaoerError extends Error {
  readonly [MARKER] = true;
  readonly code: XiaoerErrorCode;
  readonly isRetryable: boolean;
  readonly reason: string | undefined;
  readonly fields: readonly FieldProblem[] | undefined;

  constructor(code: XiaoerErrorCode, message: string, options: XiaoerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XiaoerError';
    this.code = code;
    this.isRetryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.reason = options.reason;
    this.fields = options.fields;
  }

  static isInstance(value: unknown): value is XiaoerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** A plain, serialisable form (for frames, storage and logs). */
  toJSON(): { code: XiaoerErrorCode; message: string; retryable: boolean; reason?: string; fields?: readonly FieldProblem[] } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.isRetryable,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.fields ? { fields: this.fields } : {}),
    };
  }
}

/** The link to the backend failed or dropped. Always retryable. */
export class TransportError extends XiaoerError {
  constructor(message: string, options: Omit<XiaoerErrorOptions, 'retryable'> = {}) {
    super('transport', message, { ...options, retryable: true });
    this.name = 'TransportError';
  }
}

/** A frame arrived that is not valid JSON, of an unknown kind, or of another protocol version. */
export class ProtocolError extends XiaoerError {
  constructor(message: string, options: Omit<XiaoerErrorOptions, 'retryable'> = {}) {
    super('protocol', message, { ...options, retryable: false });
    this.name = 'ProtocolError';
  }
}

/** The backend (or a local rule) refused the command; retrying it unchanged will not help. */
export class RefusedError extends XiaoerError {
  constructor(message: string, options: Omit<XiaoerErrorOptions, 'retryable'> & { code?: XiaoerErrorCode } = {}) {
    super(options.code ?? 'refused', message, { ...options, retryable: false });
    this.name = 'RefusedError';
  }
}

/** The device is offline, so a read that needs the server cannot run now. */
export class OfflineError extends XiaoerError {
  constructor(message = 'not connected') {
    super('offline', message, { retryable: true });
    this.name = 'OfflineError';
  }
}

/** A state machine was asked to take a transition that its current state does not allow. */
export class InvalidTransitionError extends XiaoerError {
  constructor(message: string) {
    super('invalid-transition', message, { retryable: false });
    this.name = 'InvalidTransitionError';
  }
}

/** Builds the right error class from the plain form servers put in frames. */
export function errorFromWire(wire: { code: string; message: string; retryable?: boolean; reason?: string; fields?: readonly FieldProblem[] }): XiaoerError {
  const code = (KNOWN_CODES.has(wire.code as XiaoerErrorCode) ? wire.code : 'internal') as XiaoerErrorCode;
  return new XiaoerError(code, wire.message, {
    ...(wire.retryable === undefined ? {} : { retryable: wire.retryable }),
    ...(wire.reason ? { reason: wire.reason } : {}),
    ...(wire.fields ? { fields: wire.fields } : {}),
  });
}

const KNOWN_CODES: ReadonlySet<XiaoerErrorCode> = new Set([
  'transport', 'offline', 'timeout', 'protocol', 'refused', 'invalid-transition',
  'unauthorized', 'not-found', 'rate-limited', 'internal',
]);
