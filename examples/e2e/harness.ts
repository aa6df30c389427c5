import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const serverEntry = join(root, 'examples/server/dist/main.js');

export const CHROMIUM = process.env.XIAOER_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'],
  });
}

/**
 * Collects what must never happen in a page: a Content-Security-Policy violation (Chromium logs
 * each to the console) and an uncaught error. Returns the list the test asserts is empty.
 */
export function watchProblems(pages: readonly Page[], problems: string[] = []): string[] {
  for (const page of pages) {
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
  }
  return problems;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * The built reference server as a child process, as `npm start` runs it, on a fixed port and a
 * temporary data folder, so it can be killed and started again at the same address.
 */
export async function referenceServer() {
  if (!existsSync(serverEntry)) throw new Error(`build first: ${serverEntry} is missing (npm test builds it)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoer-e2e-'));
  const deskKey = 'e2e-desk-key';
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    child = spawn(process.execPath, [serverEntry], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', XIAOER_DATA_DIR: dataDir, XIAOER_DESK_KEY: deskKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('agent desk:')) {
          clearTimeout(timer);
          ready();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`server exited with ${code}:\n${output}`));
      });
    });
  };

  /** Kills the server abruptly, as a crash or a deploy would. */
  const kill = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((done) => {
      proc.once('exit', () => done());
      proc.kill('SIGKILL');
    });
  };

  await start();
  return {
    url,
    deskUrl: `${url}/desk?key=${deskKey}`,
    start,
    kill,
    output: () => output,
    async dispose() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
