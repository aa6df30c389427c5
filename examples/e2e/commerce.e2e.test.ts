import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, referenceServer, watchProblems } from './harness.js';

/** A real PNG (a 64×48 gradient), as a phone camera would hand one over, only smaller. */
function png(width = 64, height = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x * 4, y * 5, 128], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The buyer's commerce path, end to end against the real server: the logistics timeline of a
 * shipped order, a new address for an unshipped one, a return with an evidence photo on an order
 * delivered two days ago — and the agent desk's approval arriving in the buyer's case page.
 */
describe('orders, logistics and after-sales: storefront ↔ server ↔ agent desk', () => {
  let server: Awaited<ReturnType<typeof referenceServer>>;
  let browser: Browser;
  let buyer: Page;
  let desk: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await referenceServer();
    browser = await launchChromium();
    buyer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    desk = await (await browser.newContext({ locale: 'en' })).newPage();
    watchProblems([buyer, desk], problems);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const panel = () => buyer.getByRole('dialog', { name: '客服' });
  const openOrder = async (id: string) => {
    await panel().getByRole('button', { name: `订单 ${id}`, exact: true }).click();
    await expect.poll(() => panel().getByRole('heading', { name: new RegExp(id) }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
  };
  const back = () => panel().getByRole('button', { name: '返回' }).first().click();
  /** Waits until the panel shows `text` (its views live in nested shadow roots: locators pierce them, textContent does not). */
  const shows = (text: string | RegExp, timeout = 10_000) => expect.poll(() => panel().getByText(text).count(), { timeout }).toBeGreaterThan(0);

  it('1. the logged-in buyer sees their orders and the logistics timeline of a shipped one', async () => {
    await buyer.goto(server.url);
    await buyer.getByRole('button', { name: '打开客服' }).click();
    await panel().getByRole('list', { name: '快捷入口' }).getByRole('button', { name: '我的订单' }).click();
    const list = panel().getByRole('list', { name: '订单列表' });
    await expect.poll(() => list.getByRole('button').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    await openOrder('XE10007');
    const timeline = panel().getByRole('list', { name: '物流轨迹' });
    await expect.poll(() => timeline.getByRole('listitem').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await shows('SF1420553022176');
    await back();
  });

  it('2. the buyer changes the address of an order that has not shipped', async () => {
    await openOrder('XE10008');
    await panel().getByRole('button', { name: '修改地址' }).click();
    await panel().getByRole('textbox', { name: '收货人' }).fill('王小明');
    await panel().getByRole('textbox', { name: '手机号码' }).fill('13900001111');
    await panel().getByRole('textbox', { name: '所在地区（省 市 区）' }).fill('上海市 浦东新区');
    await panel().getByRole('textbox', { name: '详细地址' }).fill('世纪大道 88 号 12 楼');
    await panel().getByRole('button', { name: '保存地址' }).click();
    await shows('世纪大道 88 号 12 楼');
    // The server has it: the agent desk shows the buyer's order with the new address.
    await desk.goto(server.deskUrl);
    await desk.getByRole('button', { name: /^Show orders and cases of / }).first().click();
    await expect.poll(() => desk.locator('body').textContent(), { timeout: 10_000 }).toContain('世纪大道 88 号 12 楼');
    await back();
  });

  it('3. the buyer opens a return with an evidence photo on an order delivered two days ago', async () => {
    await openOrder('XE10006');
    await panel().getByRole('button', { name: '申请售后' }).click();
    const qualifies = panel().getByRole('region', { name: '本订单可申请的服务' });
    await expect.poll(() => qualifies.getByText(/7/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await panel().getByRole('radio', { name: '退货退款' }).check();
    await panel().getByRole('checkbox').first().check();
    await panel().getByRole('combobox', { name: '申请原因' }).selectOption('quality-problem');
    await panel().getByLabel('添加照片：瑕疵特写').setInputFiles({ name: 'defect.png', mimeType: 'image/png', buffer: png() });
    await shows('已上传', 15_000);
    await panel().getByRole('button', { name: '提交申请' }).click();
    await shows('待商家处理', 15_000);
  });

  it('4. the agent desk approves it and the buyer sees the case move on', async () => {
    await desk.reload();
    await desk.getByRole('button', { name: /^Show orders and cases of / }).first().click();
    const approve = desk.getByRole('button', { name: /^Approve case / });
    await expect.poll(async () => (await approve.all()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    // The seeded cases are AS-7000x; the buyer's new one is the other.
    const names = await Promise.all((await approve.all()).map((b) => b.getAttribute('aria-label')));
    const mine = names.find((n) => n && !/AS-7000\d/.test(n));
    expect(mine).toBeTruthy();
    await desk.getByRole('button', { name: mine!, exact: true }).click();
    await shows('商家已同意，请寄回商品', 15_000);
    // The evidence photo reached the desk as an image served by the server.
    const photo = desk.getByRole('img', { name: /^Evidence photo for case / });
    await expect.poll(() => photo.count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('ran under the strict Content-Security-Policy with no violations and no page errors', () => {
    expect(problems).toEqual([]);
  });
});
