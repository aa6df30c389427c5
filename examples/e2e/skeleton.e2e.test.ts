import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, referenceServer } from './harness.js';

/**
 * The walking skeleton, end to end: the storefront embeds the widget with one script tag; the
 * widget talks to the real reference server over a real WebSocket; an agent answers from the desk
 * in a second page; the server is killed and restarted under the buyer's feet.
 */
describe('storefront → widget → WebSocket → reference server → agent desk', () => {
  let server: Awaited<ReturnType<typeof referenceServer>>;
  let browser: Browser;
  let buyerContext: BrowserContext;
  let buyer: Page;
  let desk: Page;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await referenceServer();
    browser = await launchChromium();
    buyerContext = await browser.newContext({ locale: 'zh-CN' });
    buyer = await buyerContext.newPage();
    desk = await (await browser.newContext({ locale: 'en' })).newPage();
    for (const page of [buyer, desk]) {
      page.on('console', (m) => {
        if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      page.on('pageerror', (e) => pageErrors.push(String(e)));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const panel = () => buyer.getByRole('dialog', { name: '客服' });
  const log = () => panel().getByRole('log', { name: '消息' });
  const composer = () => panel().getByRole('textbox', { name: '输入消息' });
  const deskLog = () => desk.getByRole('log', { name: 'Conversation' });

  async function buyerSays(text: string) {
    await composer().fill(text);
    await composer().press('Enter');
  }

  it('1. the buyer opens the chat from the launcher and the bot answers a FAQ question', async () => {
    await buyer.goto(server.url);
    const launcher = buyer.getByRole('button', { name: '打开客服' });
    await expect.poll(() => launcher.isVisible(), { timeout: 10_000 }).toBe(true);
    await launcher.click();
    await expect.poll(() => panel().isVisible()).toBe(true);
    await expect.poll(() => log().textContent(), { timeout: 10_000 }).toContain('我是店小二');
    await buyerSays('退款多久到账？');
    await expect.poll(() => log().textContent(), { timeout: 10_000 }).toContain('1–3 个工作日原路退回');
  });

  it('2. asking for a person puts the chat in the queue with its position', async () => {
    await panel().getByRole('button', { name: '转人工' }).click();
    await expect.poll(() => panel().textContent(), { timeout: 10_000 }).toMatch(/排队中：第 1 位/);
  });

  it('3. the agent takes the conversation from the desk and replies; both sides see typing', async () => {
    await desk.goto(server.deskUrl);
    const take = desk.getByRole('button', { name: /^Take conversation/ });
    await expect.poll(() => take.count(), { timeout: 10_000 }).toBe(1);
    await take.click();
    await expect.poll(() => deskLog().textContent()).toContain('退款多久到账？');
    await expect.poll(() => panel().textContent(), { timeout: 10_000 }).toContain('Lin Xiao');

    // The agent types: the buyer sees it.
    await desk.getByRole('textbox', { name: 'Reply' }).pressSequentially('您好');
    await expect.poll(() => panel().getByRole('status').allTextContents(), { timeout: 10_000 }).toContain('Lin Xiao正在输入…');
    await desk.getByRole('textbox', { name: 'Reply' }).fill('您好，我是 Lin Xiao，退款已经在处理中。');
    await desk.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => log().textContent(), { timeout: 10_000 }).toContain('退款已经在处理中');
    const agentRow = log().getByRole('listitem').filter({ hasText: '退款已经在处理中' });
    await expect.poll(() => agentRow.textContent()).toContain('Lin Xiao');

    // The buyer types: the agent sees it.
    await composer().pressSequentially('好的');
    await expect.poll(() => desk.getByRole('status').allTextContents(), { timeout: 10_000 }).toContain('Buyer is typing…');
    await composer().fill('');
  });

  it('4. a message sent while the server is down is delivered exactly once after it restarts, and survives a reload', async () => {
    await server.kill();
    await expect.poll(() => panel().getByRole('status').allTextContents(), { timeout: 15_000 }).toContain('网络已断开，恢复连接后将自动发送');

    const offlineText = `断网时发的消息 ${Date.now()}`;
    await buyerSays(offlineText);
    const row = log().getByRole('listitem').filter({ hasText: offlineText });
    await expect.poll(() => row.textContent()).toContain('发送中…');

    await server.start();
    await expect.poll(() => row.textContent(), { timeout: 45_000, interval: 250 }).toContain('已发送');
    await expect.poll(() => deskLog().textContent(), { timeout: 30_000 }).toContain(offlineText);
    // Exactly once, on both sides.
    expect(await log().getByRole('listitem').filter({ hasText: offlineText }).count()).toBe(1);
    expect(await deskLog().getByRole('listitem').filter({ hasText: offlineText }).count()).toBe(1);

    await buyer.reload();
    await buyer.getByRole('button', { name: '打开客服' }).click();
    await expect.poll(() => log().textContent(), { timeout: 10_000 }).toContain(offlineText);
    const history = await log().textContent();
    expect(history).toContain('退款多久到账？');
    expect(history).toContain('退款已经在处理中');
    expect(await log().getByRole('listitem').filter({ hasText: offlineText }).count()).toBe(1);
  });

  it('ran under the strict Content-Security-Policy with no violations and no page errors', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
