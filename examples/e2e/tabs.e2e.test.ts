import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, referenceServer, watchProblems } from './harness.js';

/**
 * Several tabs of one store, in real Chromium against the real reference server: the tabs of a
 * browser share one buyer connection through a leader tab (Web Locks + BroadcastChannel), every
 * tab shows the conversation live, and closing the leader hands the connection over — with nothing
 * the buyer sent lost or doubled, including what was waiting in the closed tab's outbox.
 */
describe('several tabs of one store share one connection', () => {
  let server: Awaited<ReturnType<typeof referenceServer>>;
  let browser: Browser;
  let tabs: BrowserContext;
  let observer: Page;
  let desk: Page;
  const problems: string[] = [];
  /** Buyer WebSockets each tab opened (Playwright sees every one a page opens). */
  const sockets = new Map<Page, number>();
  const page: Record<'a' | 'b' | 'c', Page | undefined> = { a: undefined, b: undefined, c: undefined };

  beforeAll(async () => {
    server = await referenceServer();
    browser = await launchChromium();
    tabs = await browser.newContext({ locale: 'zh-CN' });
    observer = await (await browser.newContext()).newPage();
    desk = await (await browser.newContext({ locale: 'en' })).newPage();
    watchProblems([desk], problems);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function openTab(): Promise<Page> {
    const tab = await tabs.newPage();
    watchProblems([tab], problems);
    sockets.set(tab, 0);
    tab.on('websocket', (ws) => {
      if (ws.url().endsWith('/xiaoer/ws')) sockets.set(tab, sockets.get(tab)! + 1);
    });
    await tab.goto(server.url);
    const launcher = tab.getByRole('button', { name: '打开客服' });
    await expect.poll(() => launcher.isVisible(), { timeout: 10_000 }).toBe(true);
    await launcher.click();
    await expect.poll(() => panel(tab).isVisible()).toBe(true);
    return tab;
  }

  const panel = (tab: Page) => tab.getByRole('dialog', { name: '客服' });
  const log = (tab: Page) => panel(tab).getByRole('log', { name: '消息' });
  const shown = (tab: Page, text: string) => log(tab).getByRole('listitem').filter({ hasText: text }).count();
  async function say(tab: Page, text: string) {
    const composer = panel(tab).getByRole('textbox', { name: '输入消息' });
    await composer.fill(text);
    await composer.press('Enter');
  }

  /** The buyer sockets the server holds open. */
  const buyerSockets = async () => {
    const key = new URL(server.deskUrl).searchParams.get('key')!;
    const res = await fetch(`${server.url}/xiaoer/stats?key=${encodeURIComponent(key)}`);
    return ((await res.json()) as { buyerSockets: number }).buyerSockets;
  };

  /** Whether `text` is in one of the tab's stored outboxes (IndexedDB): the buyer's send is safe from then on. */
  const persisted = (tab: Page, text: string) =>
    tab.evaluate(async (wanted) => {
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const open = indexedDB.open('xiaoer');
        open.onsuccess = () => done(open.result);
        open.onerror = () => fail(open.error);
      });
      const outboxes = await new Promise<unknown[]>((done) => {
        const kv = db.transaction('kv').objectStore('kv');
        const [keys, values] = [kv.getAllKeys(), kv.getAll()];
        // Outbox keys only (`<namespace>:outbox[:<tab>]`): the conversation cache holds delivered text too.
        values.onsuccess = () => done(values.result.filter((_, i) => /:outbox(:|$)/.test(String(keys.result[i]))));
      });
      db.close();
      return JSON.stringify(outboxes).includes(wanted);
    }, text);

  /**
   * Whether the buyer's send of `text` is safe in the tab: in its stored outbox, or already
   * acknowledged ("已发送"). On a live link the outbox holds it only for one round trip (it is written
   * before it goes on the wire and deleted on the ack), so polling for that alone missed it when
   * the ack came back between two polls (1 run in 3 on a 2-core machine).
   */
  const safe = async (tab: Page, text: string) =>
    (await persisted(tab, text)) || (await log(tab).getByRole('listitem').filter({ hasText: text }).filter({ hasText: '已发送' }).count()) === 1;

  /**
   * How many times the server stored each text in the buyer's conversation: a separate device of the
   * same signed-in buyer opens a session from scratch and counts the replayed messages.
   */
  async function stored(texts: readonly string[]): Promise<number[]> {
    await observer.goto(`${server.url}/healthz`);
    return observer.evaluate(
      async ({ url, texts }) => {
        const html = await (await fetch(url)).text();
        const tag = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-buyer-signature]')!;
        const buyer = {
          id: tag.getAttribute('data-buyer-id')!,
          name: tag.getAttribute('data-buyer-name')!,
          expires: Number(tag.getAttribute('data-buyer-expires')),
          signature: tag.getAttribute('data-buyer-signature')!,
        };
        const ws = new WebSocket(url.replace('http', 'ws') + 'xiaoer/ws');
        const frames: { kind: string; event?: { type: string; message?: { body: { text?: string } } } }[] = [];
        const replayed = new Promise<void>((done) => {
          ws.onmessage = (e) => {
            const frame = JSON.parse(e.data as string);
            frames.push(frame);
            if (frame.kind === 'pong') done(); // the replay comes before the answer to a later ping
          };
        });
        await new Promise((open) => (ws.onopen = open));
        ws.send(JSON.stringify({ v: 1, kind: 'session.start', visitor: { visitorId: 'v_e2e_tabs_observer', buyer }, afterSeq: 0 }));
        ws.send(JSON.stringify({ v: 1, kind: 'ping', id: 'p_observer' }));
        await replayed;
        ws.close();
        const bodies = frames.filter((f) => f.event?.type === 'message.created').map((f) => f.event!.message!.body.text);
        return texts.map((t) => bodies.filter((b) => b === t).length);
      },
      { url: `${server.url}/`, texts },
    );
  }

  it('1. two tabs of the storefront hold one buyer connection between them, opened by the first', async () => {
    page.a = await openTab();
    await expect.poll(() => log(page.a!).textContent(), { timeout: 10_000 }).toContain('我是店小二');
    page.b = await openTab();
    await expect.poll(() => log(page.b!).textContent(), { timeout: 10_000 }).toContain('我是店小二');
    // B is online through A: what it says reaches the server and comes back.
    await say(page.b, '第二个标签页在线吗？');
    await expect.poll(() => shown(page.a!, '第二个标签页在线吗？'), { timeout: 10_000 }).toBe(1);
    expect(await buyerSockets()).toBe(1);
    expect([sockets.get(page.a), sockets.get(page.b)]).toEqual([1, 0]);
  });

  it('2. a message sent in tab B shows live in tab A once, and is stored once', async () => {
    await say(page.b!, '从标签页 B 发出的消息');
    await expect.poll(() => shown(page.a!, '从标签页 B 发出的消息'), { timeout: 10_000 }).toBe(1);
    expect(await shown(page.b!, '从标签页 B 发出的消息')).toBe(1);
    expect(await stored(['从标签页 B 发出的消息', '第二个标签页在线吗？'])).toEqual([1, 1]);
  });

  it('3. the agent\'s reply from the desk shows in both tabs', async () => {
    await panel(page.b!).getByRole('button', { name: '转人工' }).click();
    await desk.goto(server.deskUrl);
    const take = desk.getByRole('button', { name: /^Take conversation/ });
    await expect.poll(() => take.count(), { timeout: 10_000 }).toBe(1);
    await take.click();
    await desk.getByRole('textbox', { name: 'Reply' }).fill('两个标签页都能看到这条回复');
    await desk.getByRole('button', { name: 'Send reply' }).click();
    for (const tab of [page.a!, page.b!]) await expect.poll(() => shown(tab, '两个标签页都能看到这条回复'), { timeout: 10_000 }).toBe(1);
  });

  it('4. closing the leader while offline: B takes over with a new connection and sends both tabs\' waiting messages once', async () => {
    await server.kill();
    await say(page.a!, 'A 断网时写的，随后关闭了 A');
    await say(page.b!, 'B 断网时写的');
    await expect.poll(() => persisted(page.a!, 'A 断网时写的，随后关闭了 A'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => persisted(page.b!, 'B 断网时写的'), { timeout: 10_000 }).toBe(true);
    await page.a!.close(); // the leader goes with a message only its outbox holds
    await server.start();

    for (const text of ['A 断网时写的，随后关闭了 A', 'B 断网时写的']) await expect.poll(() => shown(page.b!, text), { timeout: 30_000 }).toBe(1);
    expect(sockets.get(page.b!)).toBeGreaterThanOrEqual(1);
    await expect.poll(buyerSockets, { timeout: 10_000 }).toBe(1);
    expect(await stored(['A 断网时写的，随后关闭了 A', 'B 断网时写的'])).toEqual([1, 1]);
    await expect.poll(() => persisted(page.b!, 'A 断网时写的，随后关闭了 A'), { timeout: 10_000 }).toBe(false);
  });

  it('5. closing the leader while live: messages sent just before by both tabs arrive once each', async () => {
    page.c = await openTab();
    await say(page.c, 'C 加入后在线吗？');
    await expect.poll(() => shown(page.b!, 'C 加入后在线吗？'), { timeout: 10_000 }).toBe(1);
    expect(sockets.get(page.c)).toBe(0);

    await say(page.b!, 'B 关闭前最后一条');
    await expect.poll(() => safe(page.b!, 'B 关闭前最后一条'), { timeout: 10_000 }).toBe(true);
    await say(page.c, 'C 在交接时发出的');
    await page.b!.close(); // without waiting for either to be acknowledged

    for (const text of ['B 关闭前最后一条', 'C 在交接时发出的']) await expect.poll(() => shown(page.c!, text), { timeout: 30_000 }).toBe(1);
    // C is the leader now: it opened the one connection, and what it says goes through it.
    await expect.poll(() => sockets.get(page.c!), { timeout: 30_000 }).toBe(1);
    await say(page.c, 'C 接手后发出的');
    await expect.poll(() => shown(page.c!, 'C 接手后发出的'), { timeout: 10_000 }).toBe(1);
    await expect.poll(buyerSockets, { timeout: 10_000 }).toBe(1);
    expect(await stored(['B 关闭前最后一条', 'C 在交接时发出的', 'C 加入后在线吗？', 'C 接手后发出的'])).toEqual([1, 1, 1, 1]);
    for (const text of ['B 关闭前最后一条', 'C 在交接时发出的']) expect(await shown(page.c, text)).toBe(1);
  });

  it('ran under the strict Content-Security-Policy with no violations and no page errors', () => {
    expect(problems).toEqual([]);
  });
});
