import { PROTOCOL_VERSION, validateClientFrame } from '@xiaoer/core';
import { CHECKS, CHECK_IDS, type CheckDefinition } from './checks.js';
import { CheckContext, type Endpoint, type RunState } from './context.js';
import { CheckFailure, CheckSkip } from './failure.js';
import type { CheckResult, ConformanceOptions, Report } from './types.js';

/** Extra time a check gets to wind down after its budget before it is abandoned. */
const GRACE_MS = 1_000;

function endpointOf(options: ConformanceOptions): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new TypeError(`not a URL: ${options.url}`);
  }
  const transport = parsed.protocol === 'ws:' || parsed.protocol === 'wss:' ? 'websocket' : parsed.protocol === 'http:' || parsed.protocol === 'https:' ? 'http' : null;
  if (!transport) throw new TypeError(`the URL must be ws(s):// (WebSocket) or http(s):// (HTTP + SSE base), not ${parsed.protocol}`);
  const identityOk = (identity: unknown) =>
    validateClientFrame({ v: PROTOCOL_VERSION, kind: 'session.start', visitor: { visitorId: 'v', buyer: identity }, afterSeq: 0 }).ok;
  if (options.identity !== undefined && typeof options.identity !== 'function' && !identityOk(options.identity)) {
    throw new TypeError('identity must be { id, expires (ms), signature (64 hex digits) } or a function returning one');
  }
  return {
    url: transport === 'http' ? options.url.replace(/\/+$/, '') : options.url,
    transport,
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    ...(options.EventSource ? { EventSource: options.EventSource } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
  };
}

/** The checks `only` selects: exact ids, or a prefix of `prefix-*` ids (`identity` → every `identity-*`). */
export function selectChecks(only: readonly string[] | undefined): readonly CheckDefinition[] {
  if (!only || only.length === 0) return CHECKS;
  const unknown = only.filter((o) => !CHECK_IDS.some((id) => id === o || id.startsWith(`${o}-`)));
  if (unknown.length > 0) throw new TypeError(`unknown check${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the checks are ${CHECK_IDS.join(', ')}`);
  return CHECKS.filter((c) => only.some((o) => c.id === o || c.id.startsWith(`${o}-`)));
}

async function runOne(check: CheckDefinition, endpoint: Endpoint, timeoutMs: number, state: RunState): Promise<CheckResult> {
  const started = Date.now();
  const controller = new AbortController();
  const ctx = new CheckContext(endpoint, controller.signal, timeoutMs, state, check.id);
  const budget = setTimeout(() => controller.abort(), timeoutMs);
  let abandon: ReturnType<typeof setTimeout> | undefined;
  // Waits end with the budget; this catches the rest (code that awaits something no signal reaches).
  const hardStop = new Promise<never>((_, reject) => {
    abandon = setTimeout(() => reject(new CheckFailure(`timed out after ${timeoutMs} ms`)), timeoutMs + GRACE_MS);
  });
  const base = { id: check.id, title: check.title, requirement: check.requirement };
  try {
    await Promise.race([check.run(ctx), hardStop]);
    return { ...base, status: 'pass', durationMs: Date.now() - started };
  } catch (error) {
    const durationMs = Date.now() - started;
    if (error instanceof CheckSkip) return { ...base, status: 'skip', durationMs, detail: error.message };
    // Anything but a CheckFailure is a bug in the kit or the environment; it still fails the check, visibly.
    const detail = error instanceof CheckFailure ? error.message : `the check could not run: ${error instanceof Error ? error.message : String(error)}`;
    return { ...base, status: 'fail', durationMs, detail };
  } finally {
    clearTimeout(budget);
    clearTimeout(abandon);
    controller.abort();
    ctx.dispose();
  }
}

/**
 * Checks a backend against the Xiaoer wire protocol: one independent check per requirement, each
 * on fresh connections as a fresh random visitor, each bounded by `timeoutMs`. Resolves with a
 * report (it never rejects for what the backend does; it throws `TypeError` for bad options).
 *
 * The frames check runs last and validates everything received during the run.
 *
 * @example
 * import WebSocket from 'ws';
 * const report = await runConformance({ url: 'wss://shop.example/xiaoer/ws', WebSocket });
 * console.log(formatReport(report));
 */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const endpoint = endpointOf(options);
  const checks = selectChecks(options.only);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`timeoutMs must be a positive number, not ${timeoutMs}`);
  const state: RunState = { received: [] };
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result = await runOne(check, endpoint, timeoutMs, state);
    results.push(result);
    options.onProgress?.(result);
  }
  return {
    url: options.url,
    transport: endpoint.transport,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
    checks: results,
  };
}
