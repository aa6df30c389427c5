// The catalog's network: msw's service worker answers the real HTTP + SSE transport with
// `@xiaoer/adapters/msw`, so a story goes through the same code path as a shop's page — EventSource,
// fetch, reconnection — without a server. A story asks for it with `parameters.xiaoer` (a
// scenario); the loader below hands it `loaded.client` (a started client) and `loaded.handlers`.
import type { Loader } from '@storybook/web-components-vite';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createClient, type XiaoerClient } from '@xiaoer/core';
import { createHttpTransport } from '@xiaoer/adapters/http';
import { createXiaoerHandlers, type XiaoerHandlers } from '@xiaoer/adapters/msw';
import type { MswScenario } from '../packages/widget/src/test-helpers/msw-scenarios.js';

/**
 * Where a story's handlers listen: a path (so it works on whatever origin serves the catalog), one
 * per story, so the stories a docs page shows together each keep their own backend.
 */
const baseFor = (storyId: string) => `/xiaoer/http/${storyId}`;

let worker: Promise<SetupWorker> | null = null;
/** The clients and handlers of the stories on screen, torn down when a story (not docs) loads. */
const current: { client: XiaoerClient; handlers: XiaoerHandlers }[] = [];

function startWorker(): Promise<SetupWorker> {
  worker ??= (async () => {
    const w = setupWorker();
    // Relative to iframe.html, so a catalog published under a sub-path finds its worker too.
    await w.start({ serviceWorker: { url: './mockServiceWorker.js' }, onUnhandledRequest: 'bypass', quiet: true });
    return w;
  })();
  return worker;
}

/** Resolves when `check` holds, re-checked on every store change; rejects after `ms`. */
function until(client: XiaoerClient, check: () => boolean, what: string, ms = 10_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`msw story: ${what} did not happen within ${ms} ms`));
    }, ms);
    const off = client.subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export const mswLoader: Loader = async (context) => {
  const scenario = context.parameters.xiaoer as MswScenario | undefined;
  const w = await startWorker();
  if (context.viewMode !== 'docs') {
    for (const { client, handlers } of current.splice(0)) {
      client.stop();
      handlers.close();
    }
    w.resetHandlers();
  }
  if (!scenario) return {};

  const { after, backend, ...options } = scenario;
  const base = baseFor(context.id);
  const handlers = createXiaoerHandlers({ ...options, ...(backend ? { backend: backend() } : {}), baseUrl: base, heartbeatMs: 0 });
  w.use(...handlers);
  const locale = (context.globals.locale as string | undefined) ?? 'zh-CN';
  const client = createClient({ transport: createHttpTransport({ url: base }), locale });
  current.push({ client, handlers });
  await client.start();
  if (options.link === undefined || options.link === 'up') {
    await until(client, () => client.getSnapshot().connection.status === 'online', 'the session');
    await until(client, () => client.getSnapshot().lastSeq >= (options.history?.length ?? 0), 'the history replay');
  }
  await after?.({ client, handlers });
  return { client, handlers };
};
