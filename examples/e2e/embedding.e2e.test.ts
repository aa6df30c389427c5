import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, referenceServer, watchProblems } from './harness.js';

/**
 * What a storefront does to the widget around it: a stylesheet written with no thought for
 * embedded widgets, and a phone with a notch and an on-screen keyboard. Real Chromium, the real
 * storefront under its strict CSP, the script-tag build.
 */

/** The kind of CSS found on real shops, at its worst: resets, huge fonts, `!important` everywhere. */
const HOSTILE_CSS = `
* { all: unset !important; }
html, body { display: block !important; font-size: 48px !important; line-height: 4 !important; font-family: serif !important; }
* { color: #f0f !important; letter-spacing: 6px !important; box-sizing: content-box !important; text-transform: uppercase !important; }
button, textarea, input, [role="button"] { padding: 40px !important; border: 9px solid red !important; width: 11px !important; min-height: 200px !important; }
div, section, aside, dialog, ol, ul, li, form { margin: 30px !important; padding: 30px !important; position: static !important; }
`;

const PARTS = ['launcher', 'panel', 'composer', 'send'] as const;
type Part = (typeof PARTS)[number];
interface Layout {
  boxes: Record<Part, { x: number; y: number; width: number; height: number } | null>;
  messageFont: { size: string; family: string; transform: string; color: string } | null;
}

/** Where the widget's visible parts are and how its text looks, read through its shadow root. */
async function readLayout(page: Page): Promise<Layout> {
  return page.evaluate((parts) => {
    const root = document.querySelector('xiaoer-chat')?.shadowRoot;
    const box = (el: Element | null | undefined) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    };
    const find = (part: string) => root?.querySelector(`[part~="${part}"]`) ?? null;
    const boxes = Object.fromEntries(parts.map((p) => [p, box(find(p === 'send' ? 'send-button' : p))]));
    const bubble = root?.querySelector('[part~="message-text"], [part~="bubble"]');
    const style = bubble ? getComputedStyle(bubble) : null;
    return {
      boxes,
      messageFont: style ? { size: style.fontSize, family: style.fontFamily, transform: style.textTransform, color: style.color } : null,
    } as never;
  }, PARTS as unknown as string[]);
}

describe('the widget inside a real storefront', () => {
  let server: Awaited<ReturnType<typeof referenceServer>>;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await referenceServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function openWidget(page: Page) {
    await page.goto(`${server.url}/?guest=1`);
    const launcher = page.getByRole('button', { name: '打开客服' });
    await expect.poll(() => launcher.isVisible(), { timeout: 15_000 }).toBe(true);
    await launcher.click();
    const panel = page.getByRole('dialog', { name: '客服' });
    await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => panel.getByRole('log').textContent(), { timeout: 15_000 }).toContain('我是店小二');
    // Measure the panel where it rests, not mid-way through its opening animation.
    await page.evaluate(() => Promise.all(document.querySelector('xiaoer-chat')!.shadowRoot!.getAnimations().map((a) => a.finished)));
    return panel;
  }

  it('a hostile storefront stylesheet changes nothing inside it, and it still works', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const clean = await context.newPage();
    const hostile = await context.newPage();
    watchProblems([clean, hostile], problems);
    // Served from the shop's own origin, so the strict CSP lets it in as any shop stylesheet.
    await hostile.route('**/hostile.css', (route) => route.fulfill({ contentType: 'text/css', body: HOSTILE_CSS }));
    await hostile.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = '/hostile.css';
        document.head.append(link);
      });
    });

    await openWidget(clean);
    const panel = await openWidget(hostile);
    // The stylesheet really is applied to the page around the widget.
    expect(await hostile.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('48px');

    const expected = await readLayout(clean);
    const actual = await readLayout(hostile);
    for (const part of PARTS) expect(expected.boxes[part], `${part} found on the clean page`).not.toBeNull();
    expect(actual.boxes).toEqual(expected.boxes);
    expect(expected.messageFont).not.toBeNull();
    expect(actual.messageFont).toEqual(expected.messageFont);

    // And it still works: the buyer types, sends, and the bot answers.
    const composer = panel.getByRole('textbox', { name: '输入消息' });
    await composer.fill('退款多久到账？');
    await composer.press('Enter');
    await expect.poll(() => panel.getByRole('log').textContent(), { timeout: 10_000 }).toContain('1–3 个工作日原路退回');
    await context.close();
    expect(problems).toEqual([]);
  });

  it('on a phone it fills the screen clear of the notch and home bar, and the keyboard never covers the composer', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    watchProblems([page], problems);
    const cdp = await context.newCDPSession(page);
    // An iPhone-like notch and home indicator.
    await cdp.send('Emulation.setSafeAreaInsetsOverride' as never, { insets: { top: 47, bottom: 34, left: 0, right: 0 } } as never);

    const panel = await openWidget(page);
    const full = await page.evaluate(() => {
      const root = document.querySelector('xiaoer-chat')!.shadowRoot!;
      const panelBox = root.querySelector('[part~="panel"]')!.getBoundingClientRect();
      const header = root.querySelector('[part~="header"]')!.getBoundingClientRect();
      const composer = root.querySelector('[part~="composer"]')!.getBoundingClientRect();
      const launcher = root.querySelector('[part~="launcher"]');
      return {
        panel: [panelBox.x, panelBox.y, panelBox.width, panelBox.height].map(Math.round),
        headerTop: Math.round(header.top),
        composerBottom: Math.round(composer.bottom),
        launcherShown: !!launcher && getComputedStyle(launcher).display !== 'none',
      };
    });
    expect(full.panel).toEqual([0, 0, 390, 844]);
    expect(full.headerTop).toBeGreaterThanOrEqual(47); // below the notch
    expect(full.composerBottom).toBeLessThanOrEqual(844 - 34); // above the home indicator
    expect(full.launcherShown).toBe(false);

    // The keyboard: focusing the composer and shrinking the visual viewport the way an on-screen
    // keyboard does (zooming the page shrinks the visual viewport and leaves the layout viewport
    // alone, exactly like iOS Safari's keyboard).
    await panel.getByRole('textbox', { name: '输入消息' }).focus();
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
    await expect.poll(() => page.evaluate(() => Math.round(window.visualViewport!.height)), { timeout: 10_000 }).toBeLessThan(844 * 0.75);
    const visible = async () =>
      page.evaluate(() => {
        const viewport = window.visualViewport!;
        const composer = document.querySelector('xiaoer-chat')!.shadowRoot!.querySelector('[part~="composer"]')!.getBoundingClientRect();
        const top = viewport.offsetTop;
        const bottom = viewport.offsetTop + viewport.height;
        return composer.top >= top - 1 && composer.bottom <= bottom + 1;
      });
    await expect.poll(visible, { timeout: 10_000 }).toBe(true);
    await context.close();
    expect(problems).toEqual([]);
  });
});
