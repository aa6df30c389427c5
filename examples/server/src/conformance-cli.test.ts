import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { build } from 'tsup';
import type { WebSocketConstructor } from '@xiaoer/adapters/websocket';
import { signBuyer } from './identity.js';
import { startServer, type RunningServer } from './server.js';

/**
 * The CLI's entry module, read from source. It is not a package export (only `./conformance` and
 * the `xiaoer-conformance` bin are), so it is loaded by path; its shape is restated here because a
 * static import would pull a file outside this package's rootDir into the typecheck.
 */
interface CliModule {
  main(
    argv: readonly string[],
    io: { stdout(text: string): void; stderr(text: string): void },
    impl: { WebSocket?: WebSocketConstructor },
  ): Promise<number>;
  readonly USAGE: string;
}
const cliSource = fileURLToPath(new URL('../../../packages/adapters/src/conformance/cli.ts', import.meta.url));
const { main, USAGE } = (await import(/* @vite-ignore */ cliSource)) as CliModule;

const SECRET = 's';
let server: RunningServer;
let wsUrl: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-conformance-cli-'));
  server = await startServer({ dataDir, port: 0, log: () => {}, shopSecret: SECRET });
  wsUrl = `${server.url.replace(/^http/, 'ws')}/xiaoer/ws`;
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs `main` with captured output. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { WebSocket: WebSocket as unknown as WebSocketConstructor });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function buyerArgs(id = 'buyer-demo') {
  const expires = Date.now() + 60 * 60_000;
  return ['--buyer-id', id, '--buyer-expires', String(expires), '--buyer-signature', signBuyer(SECRET, id, expires)];
}

describe('xiaoer-conformance main(argv)', () => {
  it('exits 0 and prints the report when the backend passes', async () => {
    const { code, stdout } = await cli(wsUrl, ...buyerArgs());
    expect(code, stdout).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Xiaoer protocol conformance: ${wsUrl} (WebSocket)`);
    expect(lines).toContain(lines.find((l) => /^✓ identity-valid /.test(l)));
    expect(lines.at(-1)).toBe('15 passed, 0 failed');
  });

  it('prints JSON with --json, and --only runs the chosen checks', async () => {
    const { code, stdout } = await cli(wsUrl, '--json', '--only', 'ping,identity', '--timeout=5000');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { passed: number; failed: number; skipped: number; checks: { id: string; status: string }[] };
    expect(report.checks.map((c) => `${c.id}:${c.status}`)).toEqual(['ping:pass', 'identity-forged:pass', 'identity-expired:pass', 'identity-valid:skip', 'identity-renew:skip']);
    expect(report).toMatchObject({ passed: 3, failed: 0, skipped: 2 });
  });

  it('exits 1 with the failure spelled out when a check fails', async () => {
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => silent.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    cleanups.push(() => silent.clients.forEach((c) => c.terminate()));
    const { code, stdout } = await cli(`ws://127.0.0.1:${(silent.address() as { port: number }).port}/`, '--only', 'ping', '--timeout', '200');
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ ping: ping is answered by pong with the same id\n {4}rule: .*\n {4}timed out after 200 ms waiting for session\.ready/);
    expect(stdout.split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it.each([
    [[], /the endpoint URL is missing/],
    [['ftp://example.test'], /must start with ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//],
    [['ws://a.test', 'ws://b.test'], /one URL expected, got 2/],
    [['ws://a.test', '--buyer-id', 'x'], /go together/],
    [['ws://a.test', ...buyerArgs().slice(0, 4), '--buyer-signature', 'nothex'], /64 lowercase hex digits/],
    [['ws://a.test', '--only', 'session,nope'], /unknown check nope/],
    [['ws://a.test', '--timeout', 'soon'], /--timeout must be a positive number/],
    [['ws://a.test', '--verbose'], /unknown option --verbose/],
    [['ws://a.test', '--only'], /--only needs a value/],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...(argv as string[]));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain(USAGE);
  });

  it('prints the usage with --help and exits 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
    expect(USAGE).toMatch(/--only a,b [^]*session, ping, identity-forged/);
  });
});

describe('the built xiaoer-conformance command', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  // Under this package's node_modules so the command finds `ws` the way an installed one would.
  const outDir = resolve(here, '../node_modules/.cache/xiaoer-conformance-cli-test');

  it('runs with node through an npm-style bin link, with its shebang', async () => {
    rmSync(outDir, { recursive: true, force: true });
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    await build({
      config: false,
      silent: true,
      entry: { cli: cliSource },
      outDir,
      format: ['esm'],
      outExtension: () => ({ js: '.mjs' }),
      platform: 'node',
      target: 'node20',
      dts: false,
      sourcemap: false,
      // The workspace packages are read from src/; ws stays outside, as in the published build.
      noExternal: [/^@xiaoer\//, 'valibot', 'nanoevents', 'idb-keyval'],
      external: ['ws', 'eventsource'],
      esbuildOptions(options) {
        options.conditions = ['xiaoer-source', 'module'];
      },
    });
    const built = join(outDir, 'cli.mjs');
    expect(existsSync(built)).toBe(true);
    expect(statSync(built).mode & 0o111).not.toBe(0);
    const binDir = join(outDir, '.bin');
    mkdirSync(binDir);
    const bin = join(binDir, 'xiaoer-conformance');
    symlinkSync(built, bin);

    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
        execFile(bin, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
          done({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
        });
      });
    const ok = await run([wsUrl, ...buyerArgs()]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe('15 passed, 0 failed');
    const bad = await run([]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^xiaoer-conformance: the endpoint URL is missing\n\nusage: xiaoer-conformance <url>/);
  }, 60_000);
});
