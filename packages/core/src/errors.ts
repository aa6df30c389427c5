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

export interface XiaoerErrorOptions {
  cause?: unknown;
  /** Whether retrying the same operation later may succeed. Defaults by code. */
  retryable?: boolean;
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

  constructor(code: XiaoerErrorCode, message: string, options: XiaoerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XiaoerError';
    this.code = code;
    this.isRetryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
  }

  static isInstance(value: unknown): value is XiaoerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** A plain, serialisable form (for frames, storage and logs). */
  toJSON(): { code: XiaoerErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.isRetryable };
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
    super(options.code ?? 'refused', message, { cause: options.cause, retryable: false });
    this.name = 'RefusedError';
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
export function errorFromWire(wire: { code: string; message: string; retryable?: boolean }): XiaoerError {
  const code = (KNOWN_CODES.has(wire.code as XiaoerErrorCode) ? wire.code : 'internal') as XiaoerErrorCode;
  return new XiaoerError(code, wire.message, { retryable: wire.retryable });
}

const KNOWN_CODES: ReadonlySet<XiaoerErrorCode> = new Set([
  'transport', 'offline', 'timeout', 'protocol', 'refused', 'invalid-transition',
  'unauthorized', 'not-found', 'rate-limited', 'internal',
]);
