import * as v from 'valibot';
import { ProtocolError } from '../errors.js';
import { ClientFrameSchema, ServerFrameSchema, type ClientFrame, type ServerFrame } from './frames.js';
import { PROTOCOL_VERSION } from './version.js';

/** Frames larger than this are refused before parsing: a hostile peer cannot make us parse megabytes. */
export const MAX_FRAME_BYTES = 256 * 1024;

export type Decoded<T> = { ok: true; frame: T } | { ok: false; error: ProtocolError };

/** Error texts quote what they refused; a hostile frame must not make them long. */
const MAX_DESCRIPTION = 200;
const clip = (text: string) => (text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text);

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'invalid frame';
  const path = first.path?.map((p) => String(p.key)).join('.') ?? '';
  return clip(path ? `${path}: ${first.message}` : first.message);
}

/** A short, never-throwing description of an untrusted value (no JSON.stringify of attacker data). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 20));
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function validate<T>(schema: v.GenericSchema<unknown, T>, data: unknown, side: string): Decoded<T> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, error: new ProtocolError(`${side} frame is not an object`) };
  }
  const version = (data as { v?: unknown }).v;
  if (version !== PROTOCOL_VERSION) {
    return { ok: false, error: new ProtocolError(`${side} frame has protocol version ${describeValue(version)}, expected ${PROTOCOL_VERSION}`) };
  }
  const result = v.safeParse(schema, data);
  if (!result.success) return { ok: false, error: new ProtocolError(`invalid ${side} frame: ${describe(result.issues)}`) };
  return { ok: true, frame: result.output };
}

/** Validates an already-parsed value as a server frame. Never throws. */
export function validateServerFrame(data: unknown): Decoded<ServerFrame> {
  return validate(ServerFrameSchema, data, 'server');
}

/** Validates an already-parsed value as a client frame (servers use this). Never throws. */
export function validateClientFrame(data: unknown): Decoded<ClientFrame> {
  return validate(ClientFrameSchema, data, 'client');
}

/** Parses JSON text into a value, refusing oversized or malformed input. Never throws. */
export function parseFrameText(text: unknown): { ok: true; value: unknown } | { ok: false; error: ProtocolError } {
  if (typeof text !== 'string') return { ok: false, error: new ProtocolError('frame is not text') };
  if (text.length > MAX_FRAME_BYTES) return { ok: false, error: new ProtocolError(`frame of ${text.length} characters exceeds ${MAX_FRAME_BYTES}`) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (cause) {
    return { ok: false, error: new ProtocolError('frame is not valid JSON', { cause }) };
  }
}

export function decodeServerFrame(text: unknown): Decoded<ServerFrame> {
  const parsed = parseFrameText(text);
  return parsed.ok ? validateServerFrame(parsed.value) : parsed;
}

export function decodeClientFrame(text: unknown): Decoded<ClientFrame> {
  const parsed = parseFrameText(text);
  return parsed.ok ? validateClientFrame(parsed.value) : parsed;
}

export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  return JSON.stringify(frame);
}
