import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, referenceServer, watchProblems } from './harness.js';

type Frame = { kind: string; event?: { type: string; order?: { id: string; status: string }; case?: { id: string; state: string; rejection?: { reason: string } }; message?: { body: { kind: string; text?: string; ref?: { type: string; id: string } } } } };

/**
 * The shop's side, end to end: the agent desk page (plain DOM under a strict CSP) ships an order
 * and rejects an after-sales case, and the logged-in buyer — signed in with the identity the
 * storefront page carries — receives both as events with notices.
 */
describe('agent desk → reference server → buyer', () => {
  let server: Awaited<ReturnType<typeof referenceServer>>;
  let browser: Browser;
  let desk: Page;
  let buyer: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await referenceServer();
    browser = await launchChromium();
    desk = await (await browser.newContext({ locale: 'en' })).newPage();
    buyer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    watchProblems([desk, buyer], problems);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** The buyer's frames so far (a raw protocol client in the buyer's page). */
  const frames = () => buyer.evaluate(() => (window as unknown as { frames_: Frame[] }).frames_);

  it('1. the buyer connects with the signed identity the storefront page carries', async () => {
    await buyer.goto(`${server.url}/healthz`);
    const ready = await buyer.evaluate(async (url) => {
      const html = await (await fetch(url)).text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const tag = doc.querySelector('script[src="/xiaoer.js"]')!;
      const identity = {
        id: tag.getAttribute('data-buyer-id')!,
        name: tag.getAttribute('data-buyer-name')!,
        expires: Number(tag.getAttribute('data-buyer-expires')),
        signature: tag.getAttribute('data-buyer-signature')!,
      };
      const w = window as unknown as { frames_: unknown[] };
      w.frames_ = [];
      const ws = new WebSocket(url.replace('http', 'ws') + 'xiaoer/ws');
      ws.onmessage = (e) => w.frames_.push(JSON.parse(e.data as string));
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ v: 1, kind: 'session.start', visitor: { visitorId: 'v_e2e_desk', buyer: identity }, afterSeq: 0, locale: 'en' }));
      for (let i = 0; i < 100 && !w.frames_.some((f) => (f as { kind: string }).kind === 'session.ready'); i++) await new Promise((r) => setTimeout(r, 20));
      return w.frames_.find((f) => (f as { kind: string }).kind === 'session.ready');
    }, `${server.url}/`);
    expect(ready).toMatchObject({ buyer: { id: 'buyer-demo' } });
  });

  it('2. the desk ships the buyer\'s order; the buyer gets order.updated and a notice', async () => {
    await desk.goto(server.deskUrl);
    await desk.getByRole('button', { name: /^Show orders and cases of 王小明/ }).click();
    const ship = desk.getByRole('button', { name: 'Mark shipped order XE10008' });
    await expect.poll(() => ship.count(), { timeout: 10_000 }).toBe(1);
    await desk.getByRole('textbox', { name: 'Waybill number for order XE10008' }).fill('SF1999000000001');
    await ship.click();
    await expect.poll(() => desk.getByRole('button', { name: 'Mark delivered order XE10008' }).count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(async () => (await frames()).some((f) => f.event?.type === 'order.updated' && f.event.order?.id === 'XE10008' && f.event.order.status === 'shipped'), { timeout: 10_000 })
      .toBe(true);
    const notice = (await frames()).map((f) => f.event?.message?.body).filter((b) => b?.kind === 'notice').at(-1);
    expect(notice).toMatchObject({ text: expect.stringContaining('SF1999000000001'), ref: { type: 'order', id: 'XE10008' } });
  });

  it('3. the desk shows the case\'s evidence and rejects it with a reason typed inline', async () => {
    const evidence = desk.getByRole('img', { name: /^Evidence photo for case AS-70003/ });
    await expect.poll(() => evidence.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await desk.getByRole('button', { name: 'Reject case AS-70003' }).click();
    const reason = desk.getByRole('textbox', { name: 'Reason for rejecting case AS-70003' });
    await expect.poll(() => reason.evaluate((el) => el === document.activeElement)).toBe(true);
    await reason.fill('茶叶检测合格，未见受潮');
    await desk.getByRole('button', { name: 'Confirm rejection of case AS-70003' }).click();
    await expect
      .poll(async () => (await frames()).some((f) => f.event?.type === 'case.updated' && f.event.case?.id === 'AS-70003' && f.event.case.state === 'rejected' && f.event.case.rejection?.reason === '茶叶检测合格，未见受潮'), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => desk.getByRole('button', { name: 'Approve case AS-70003' }).count()).toBe(0);
  });

  it('ran under the strict Content-Security-Policy with no violations and no page errors', () => {
    expect(problems).toEqual([]);
  });
});
