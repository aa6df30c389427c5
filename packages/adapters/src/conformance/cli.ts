#!/usr/bin/env node
/**
 * `xiaoer-conformance <url>`: runs the conformance kit against a backend and prints the report.
 * Exits 0 when every check passes (or is skipped), 1 when any fails, 2 on bad usage.
 *
 * Node only. The WebSocket and EventSource implementations are loaded when needed: `ws` (else the
 * global WebSocket of Node 22+) and `eventsource` (else the stream is read with fetch).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BuyerIdentity } from '@xiaoer/core';
import type { WebSocketConstructor } from '../websocket/websocket-transport.js';
import type { EventSourceConstructor } from '../http/sse-transport.js';
import { CHECK_IDS } from './checks.js';
import { formatReport } from './report.js';
import { runConformance } from './run.js';
import type { ConformanceOptions } from './types.js';

/** Wraps `text` at spaces into lines of at most `width` columns, each indented by `indent`. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ' '.repeat(indent) + l).join('\n');
}

export const USAGE = `usage: xiaoer-conformance <url> [options]

  <url>                    ws(s)://… the WebSocket endpoint, or http(s)://… the base of the
                           HTTP + Server-Sent Events endpoint (…/events, …/frames below it)

options:
  --buyer-id ID            a valid signed buyer identity (all three together), to check that a
  --buyer-expires MS       real buyer is accepted and that forged ones cannot read their orders;
  --buyer-signature HEX    signature = hex HMAC-SHA256(shop secret, "ID.MS")
  --only a,b               run only these checks; a prefix such as "identity" selects
                           every identity-* check. The checks, in the order they run:
${wrap(CHECK_IDS.join(', '), 27, 100)}
  --timeout MS             time budget of each check (default 10000)
  --json                   print the report as JSON
  -h, --help               print this help

exit status: 0 every check passed, 1 a check failed, 2 bad usage`;

/** Where the CLI writes; the process's streams by default. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether to print each check as it finishes (on stderr). */
  readonly progress?: boolean;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(`${text}\n`),
  stderr: (text) => void process.stderr.write(`${text}\n`),
  progress: process.stderr.isTTY === true,
};

class UsageError extends Error {}

interface Parsed {
  url: string;
  identity?: BuyerIdentity;
  only?: string[];
  json: boolean;
  timeoutMs?: number;
  help: boolean;
}

const VALUE_OPTIONS = new Set(['--buyer-id', '--buyer-expires', '--buyer-signature', '--only', '--timeout']);

function parse(argv: readonly string[]): Parsed {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      values.set(name, value);
    } else positional.push(arg);
  }
  if (help) return { url: '', json, help };
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'the endpoint URL is missing' : `one URL expected, got ${positional.length}`);
  const url = positional[0]!;
  if (!/^(wss?|https?):\/\/./i.test(url)) throw new UsageError(`the URL must start with ws://, wss://, http:// or https://: ${url}`);

  const parsed: Parsed = { url, json, help };
  const buyer = ['--buyer-id', '--buyer-expires', '--buyer-signature'].map((k) => values.get(k));
  if (buyer.some((b) => b !== undefined)) {
    const [id, expires, signature] = buyer;
    if (id === undefined || expires === undefined || signature === undefined) throw new UsageError('--buyer-id, --buyer-expires and --buyer-signature go together');
    if (!/^\d+$/.test(expires) || !Number.isSafeInteger(Number(expires))) throw new UsageError(`--buyer-expires must be ms since the epoch: ${expires}`);
    if (!/^[0-9a-f]{64}$/.test(signature)) throw new UsageError('--buyer-signature must be 64 lowercase hex digits (HMAC-SHA256)');
    parsed.identity = { id, expires: Number(expires), signature };
  }
  const only = values.get('--only');
  if (only !== undefined) {
    parsed.only = only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = parsed.only.filter((o) => !CHECK_IDS.some((id) => id === o || id.startsWith(`${o}-`)));
    if (unknown.length > 0) throw new UsageError(`unknown check ${unknown.join(', ')}`);
  }
  const timeout = values.get('--timeout');
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) <= 0) throw new UsageError(`--timeout must be a positive number of ms: ${timeout}`);
    parsed.timeoutMs = Number(timeout);
  }
  return parsed;
}

async function loadWebSocket(): Promise<WebSocketConstructor> {
  try {
    const mod = await import('ws');
    return (mod.WebSocket ?? mod.default) as unknown as WebSocketConstructor;
  } catch {
    const global = (globalThis as { WebSocket?: unknown }).WebSocket;
    if (global) return global as WebSocketConstructor;
    throw new UsageError('a ws:// URL needs the `ws` package (npm install ws) or Node 22+');
  }
}

async function loadEventSource(): Promise<EventSourceConstructor | undefined> {
  try {
    const mod = await import('eventsource');
    return mod.EventSource as unknown as EventSourceConstructor;
  } catch {
    // Without one the kit reads the stream with fetch, which is all the checks need.
    return (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  }
}

/**
 * Runs the CLI with `argv` (the arguments after the command name) and resolves with the exit code.
 * The implementations may be injected (tests); otherwise they are loaded as described above.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  impl: Pick<ConformanceOptions, 'WebSocket' | 'EventSource'> = {},
): Promise<number> {
  let parsed: Parsed;
  let options: ConformanceOptions;
  try {
    parsed = parse(argv);
    if (parsed.help) {
      io.stdout(USAGE);
      return 0;
    }
    const http = /^https?:/i.test(parsed.url);
    const WebSocket = http ? undefined : (impl.WebSocket ?? (await loadWebSocket()));
    const EventSource = http ? (impl.EventSource ?? (await loadEventSource())) : undefined;
    options = {
      url: parsed.url,
      ...(WebSocket ? { WebSocket } : {}),
      ...(EventSource ? { EventSource } : {}),
      ...(parsed.identity ? { identity: parsed.identity } : {}),
      ...(parsed.only ? { only: parsed.only } : {}),
      ...(parsed.timeoutMs ? { timeoutMs: parsed.timeoutMs } : {}),
      ...(io.progress
        ? { onProgress: (c) => io.stderr(`${c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '–'} ${c.id} (${c.durationMs} ms)`) }
        : {}),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`xiaoer-conformance: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  let report;
  try {
    report = await runConformance(options);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    io.stderr(`xiaoer-conformance: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  io.stdout(parsed.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.failed > 0 ? 1 : 0;
}

/** True when this module is the program node was started with (also through an npm bin link). */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`xiaoer-conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
