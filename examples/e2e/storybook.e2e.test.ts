// The component catalog as CI builds it (`npm test` runs build-storybook into storybook-static/
// first): every story, opened in Chromium from a static server, renders its component with no
// page error and no console error — and the msw-fed stories really are fed through msw's service
// worker, not a server.
//
// Without a build this file fails with a message saying how to make one; it does not build the
// catalog itself (half a minute of Vite on a 2-core runner does not belong inside a test timeout).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(root, process.env.XIAOER_STORYBOOK_DIR ?? 'storybook-static');
const indexFile = join(dir, 'index.json');

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
  tags?: string[];
}

const entries: IndexEntry[] = existsSync(indexFile) ? Object.values((JSON.parse(readFileSync(indexFile, 'utf8')) as { entries: Record<string, IndexEntry> }).entries) : [];
const stories = entries.filter((e) => e.type === 'story');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Paths the static server was asked for: the msw endpoint must never be among them. */
const served: string[] = [];
/**
 * What reached the static server of one story's msw endpoint (`/xiaoer/http/<story id>/…`). Scoped
 * to the story because a page that was just closed may still have a request in flight; msw's worker
 * lets requests of a gone client through to the network, and that is teardown, not this story.
 */
const leakedFor = (storyId: string) => served.filter((p) => p.startsWith(`/xiaoer/http/${storyId}/`));

function staticServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    served.push(path);
    // Chromium asks every origin for one; the catalog has favicon.svg and says so in its pages.
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/** The element a story is about: the last segment of its title (`Views/xiaoer-order-list`). */
const tagOf = (story: IndexEntry) => story.title.split('/').at(-1)!;

/** Every text in an element's shadow tree, nested shadow roots included. */
function deepText(page: Page, tag: string): Promise<string> {
  return page.evaluate((t) => {
    const walk = (node: Node): string => {
      let text = node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '') : '';
      if (node instanceof Element && node.shadowRoot) text += walk(node.shadowRoot);
      for (const child of node.childNodes) text += walk(child);
      return text;
    };
    const el = document.querySelector('#storybook-root')!.querySelector(t);
    return el?.shadowRoot ? walk(el.shadowRoot) : '';
  }, tag);
}

describe('the component catalog (storybook-static)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    if (!stories.length) return;
    ({ server, url } = await staticServer());
    browser = await launchChromium();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(() => done(undefined)) : done(undefined)));
  });

  it('has a static build with stories', () => {
    expect(existsSync(indexFile), `no catalog build at ${dir}: run \`npm run build-storybook\` (npm test does it before the tests)`).toBe(true);
    expect(stories.length).toBeGreaterThan(40);
  });

  /**
   * Opens one story in its own page; resolves when Storybook has rendered it (or shown an error),
   * with what went wrong on the way. A story tagged `link-failure` breaks the emulated network on
   * purpose: Chromium's console errors for the msw endpoint's failed requests are expected there,
   * and only there.
   */
  async function open(story: IndexEntry) {
    served.length = 0;
    const page = await context.newPage();
    const problems: string[] = [];
    const expectedNetworkErrors = story.tags?.includes('link-failure') ?? false;
    page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() !== 'error') return;
      const where = `${m.location().url} ${m.text()}`;
      if (expectedNetworkErrors && where.includes('/xiaoer/http/')) return;
      problems.push(`console.error: ${m.text()} (${m.location().url})`);
    });
    await page.goto(`${url}/iframe.html?id=${story.id}&viewMode=story`);
    await page.waitForFunction(() => /sb-show-(main|errordisplay|nopreview)/.test(document.body.className), null, { timeout: 30_000 });
    return { page, problems };
  }

  it.each(stories.map((s) => [s.id, s] as const))('renders %s', async (_id, story) => {
    const { page, problems } = await open(story);
    try {
      const error = await page.evaluate(() => (document.body.classList.contains('sb-show-errordisplay') ? document.querySelector('#error-message')?.textContent ?? 'error' : null));
      expect(error, 'Storybook showed its error display').toBeNull();
      const tag = tagOf(story);
      expect(tag).toMatch(/^xiaoer-/);
      // Lit renders on the next microtask after connection; the story's loaders have run by now.
      await page.waitForFunction(
        (t) => {
          const el = document.querySelector('#storybook-root')?.querySelector(t);
          return !!el?.shadowRoot && [...el.shadowRoot.childNodes].some((n) => n.nodeType === Node.ELEMENT_NODE);
        },
        tag,
        { timeout: 10_000 },
      );
      expect((await deepText(page, tag)).trim().length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      // Whatever the story asked of the protocol's endpoint, msw answered: none of it reached us.
      expect(leakedFor(story.id)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('documents each component from the Custom Elements Manifest: properties, events, CSS parts, custom properties', async () => {
    const docs = entries.find((e) => e.type === 'docs' && e.title === 'Widget/xiaoer-chat');
    expect(docs, 'an autodocs page for xiaoer-chat').toBeDefined();
    const page = await context.newPage();
    try {
      await page.goto(`${url}/iframe.html?id=${docs!.id}&viewMode=docs`);
      // Names that only the manifest knows (from the JSDoc header and the Lit properties).
      const table = page.locator('.docblock-argstable');
      await table.first().waitFor({ timeout: 30_000 });
      for (const name of ['theme', 'xiaoer-message-send', 'launcher', '--xiaoer-color-primary']) {
        await expect.poll(() => table.first().innerText(), { timeout: 10_000 }).toContain(name);
      }
    } finally {
      await page.close();
    }
  });

  it('applies the toolbar’s theme and locale to the chat and to a view on its own', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${url}/iframe.html?id=widget-xiaoer-chat--bot-answered&viewMode=story&globals=theme:dark;locale:en`);
      await page.waitForFunction(() => /sb-show-main/.test(document.body.className));
      const chat = page.locator('#storybook-root xiaoer-chat');
      expect(await chat.getAttribute('theme')).toBe('dark');
      expect(await chat.getAttribute('locale')).toBe('en');

      await page.goto(`${url}/iframe.html?id=views-xiaoer-order-list--orders&viewMode=story&globals=theme:dark;locale:en`);
      await page.waitForFunction(() => /sb-show-main/.test(document.body.className));
      const list = page.locator('#storybook-root xiaoer-order-list');
      expect(await list.getAttribute('locale')).toBe('en');
      // The dark tokens reach the view through inheritance: its surface is the dark one.
      expect(await list.evaluate((el) => getComputedStyle(el).getPropertyValue('--xiaoer-color-surface').trim())).toBe('#18181b');
    } finally {
      await page.close();
    }
  });

  it('feeds the networked stories through msw’s service worker, not a server', async () => {
    const story = stories.find((s) => s.id === 'widget-xiaoer-chat--bot-answered');
    expect(story, 'the BotAnswered chat story').toBeDefined();
    served.length = 0;
    const page = await context.newPage();
    try {
      const events = page.waitForResponse((r) => /\/xiaoer\/http\/[^?]*\/events\?/.test(r.url()));
      await page.goto(`${url}/iframe.html?id=${story!.id}&viewMode=story`);
      const response = await events;
      // The event stream was answered inside the browser, by the worker …
      expect(response.fromServiceWorker()).toBe(true);
      expect(response.headers()['content-type']).toMatch(/^text\/event-stream/);
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/mockServiceWorker\.js$/);
      // … and what it carried — the seeded FAQ answer — is what the chat shows.
      await page.waitForFunction(() => /sb-show-main/.test(document.body.className));
      await expect.poll(() => deepText(page, 'xiaoer-chat'), { timeout: 10_000 }).toContain('商家确认后 1–3 个工作日原路退回');
      // The static server never saw the protocol's endpoint.
      expect(leakedFor(story!.id)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
