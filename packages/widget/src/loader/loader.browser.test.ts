import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { XiaoerGlobal } from '../embed.js';
import { createLoader, installLoader, type WidgetModule } from './loader.js';

/** Keeps the element's own client off the network. */
class QuietWebSocket {
  readyState = 0;
  onopen = null;
  onclose = null;
  onerror = null;
  onmessage = null;
  send() {}
  close() {}
}

/** The widget module, held back until `release()`; records what the real global is asked. */
function gatedWidget() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const calls: string[] = [];
  const imports = vi.fn(async (): Promise<WidgetModule> => {
    await gate;
    const { boot } = await import('../embed.js');
    return {
      async boot(script, locale) {
        const real = (await boot(script, locale)) as XiaoerGlobal & Record<string, unknown>;
        // Every call the real global gets, in order, and a method the loader has never heard of.
        for (const name of ['init', 'open', 'close', 'identify', 'on'] as const) {
          const original = real[name] as (...args: unknown[]) => unknown;
          (real as Record<string, unknown>)[name] = (...args: unknown[]) => (calls.push(name), original.apply(real, args));
        }
        real.ping = (value: number) => `pong ${value}`;
        return real;
      },
    };
  });
  return { imports, release, calls };
}

const standIn = () => document.querySelector('xiaoer-loader')?.shadowRoot?.querySelector('button') ?? null;

let container: HTMLElement;
beforeEach(() => {
  vi.stubGlobal('WebSocket', QuietWebSocket);
  // No idle moment unless a test asks for one: loading then waits for an interaction.
  vi.stubGlobal('requestIdleCallback', () => 0);
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  container.remove();
  document.querySelectorAll('xiaoer-chat, xiaoer-loader').forEach((e) => e.remove());
  vi.unstubAllGlobals();
});

describe('the loader before the widget has loaded', () => {
  it('queues every call, forwards unknown methods and init fields, and replays them in order', async () => {
    const widget = gatedWidget();
    const xiaoer = createLoader({ script: null, importWidget: widget.imports }) as XiaoerGlobal & { ping(v: number): Promise<string> };
    const closed: string[] = [];
    const dropped: string[] = [];
    xiaoer.on('close', (e) => closed.push(e.type));
    const off = xiaoer.on('close', (e) => dropped.push(e.type));
    off(); // unsubscribed before load: never attached
    const chat = xiaoer.init({ container, futureOption: true } as never) as unknown as Promise<HTMLElement>;
    const pong = xiaoer.ping(7);
    void xiaoer.identify(undefined);
    void xiaoer.open();
    expect(xiaoer.client).toBeUndefined();
    expect(document.querySelector('xiaoer-chat')).toBeNull();

    widget.release();
    const element = await chat;
    expect(element.localName).toBe('xiaoer-chat');
    expect(element.parentElement).toBe(container);
    await expect(pong).resolves.toBe('pong 7');
    expect(widget.calls).toEqual(['on', 'init', 'identify', 'open']);
    expect(xiaoer.client).toBe((element as unknown as { client: unknown }).client);
    await expect.element(page.getByRole('dialog', { name: 'Customer service' })).toBeVisible();
    // After load, calls go straight through, and the listener added before it hears them.
    expect(xiaoer.init()).toBe(element);
    xiaoer.close();
    await expect.poll(() => closed).toEqual(['xiaoer-close']);
    expect(dropped).toEqual([]);
  });

  it('draws a launcher like the real one, in its own shadow root, in the page locale', async () => {
    document.documentElement.lang = 'zh-CN';
    const widget = gatedWidget();
    const xiaoer = createLoader({ script: null, importWidget: widget.imports });
    void xiaoer.init({ container });
    try {
      const button = page.getByRole('button', { name: '打开客服' });
      await expect.element(button).toBeVisible();
      expect(widget.imports).not.toHaveBeenCalled();
      const before = standIn()!;
      const drawn = { box: before.getBoundingClientRect().toJSON(), background: getComputedStyle(before).backgroundColor };
      expect(getComputedStyle(before).position).toBe('fixed');

      widget.release();
      await userEvent.hover(before); // pointer over it: load
      await expect.poll(() => document.querySelector('xiaoer-loader')).toBeNull();
      const real = document.querySelector('xiaoer-chat')!.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!;
      // Compare at rest: the pointer over it scales the real one up (a hover transition).
      await userEvent.unhover(real);
      await Promise.all(real.getAnimations().map((animation) => animation.finished));
      expect({ box: real.getBoundingClientRect().toJSON(), background: getComputedStyle(real).backgroundColor }).toEqual(drawn);
      await expect.element(page.getByRole('button', { name: '打开客服' })).toBeVisible();
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('loads on focus of the launcher, and on Xiaoer.open()', async () => {
    const focused = gatedWidget();
    const one = createLoader({ script: null, importWidget: focused.imports });
    void one.init({ container });
    expect(focused.imports).not.toHaveBeenCalled();
    standIn()!.focus();
    expect(focused.imports).toHaveBeenCalledTimes(1);
    focused.release();
    await expect.poll(() => document.querySelector('xiaoer-loader')).toBeNull();

    document.querySelectorAll('xiaoer-chat').forEach((e) => e.remove());
    const opened = gatedWidget();
    const two = createLoader({ script: null, importWidget: opened.imports });
    void two.init({ container });
    expect(opened.imports).not.toHaveBeenCalled();
    void two.open();
    expect(opened.imports).toHaveBeenCalledTimes(1);
  });

  it('loads when the page is idle, without any interaction', async () => {
    const idle: Array<() => void> = [];
    vi.stubGlobal('requestIdleCallback', (task: () => void) => idle.push(task));
    const widget = gatedWidget();
    widget.release();
    const xiaoer = createLoader({ script: null, importWidget: widget.imports });
    void xiaoer.init({ container });
    expect(widget.imports).not.toHaveBeenCalled();
    expect(idle).toHaveLength(1);
    idle[0]!();
    expect(widget.imports).toHaveBeenCalledTimes(1);
    await expect.poll(() => document.querySelectorAll('xiaoer-chat').length).toBe(1);
    await expect.poll(() => document.querySelector('xiaoer-loader')).toBeNull();
  });

  it('opens the panel once loaded when the launcher was clicked before', async () => {
    const widget = gatedWidget();
    const xiaoer = createLoader({ script: null, importWidget: widget.imports });
    void xiaoer.init({ container });
    await userEvent.click(standIn()!);
    expect(widget.imports).toHaveBeenCalledTimes(1);
    expect(standIn()!.getAttribute('aria-expanded')).toBe('true');
    expect(document.querySelector('xiaoer-chat')).toBeNull();
    widget.release();
    await expect.element(page.getByRole('dialog', { name: 'Customer service' })).toBeVisible();
    await expect.poll(() => document.querySelector('xiaoer-loader')).toBeNull();
    expect(widget.calls).toEqual(['init', 'open']);
  });
});

describe('installLoader (what dist/xiaoer.js runs)', () => {
  it('adds one widget even when the script is on the page twice, and keeps the first global', async () => {
    const first = gatedWidget();
    const second = gatedWidget();
    first.release();
    second.release();
    delete window.Xiaoer;
    installLoader(document.createElement('script'), first.imports);
    const global = window.Xiaoer;
    installLoader(document.createElement('script'), second.imports);
    expect(window.Xiaoer).toBe(global);
    expect(document.querySelectorAll('xiaoer-loader')).toHaveLength(1);
    void window.Xiaoer!.open();
    await expect.poll(() => document.querySelectorAll('xiaoer-chat').length).toBe(1);
    expect(second.imports).not.toHaveBeenCalled();
    delete window.Xiaoer;
  });

  it('with data-manual draws and loads nothing until Xiaoer.init()', async () => {
    const idle: Array<() => void> = [];
    vi.stubGlobal('requestIdleCallback', (task: () => void) => idle.push(task));
    const widget = gatedWidget();
    widget.release();
    const script = document.createElement('script');
    script.dataset.manual = '';
    delete window.Xiaoer;
    installLoader(script, widget.imports);
    expect(document.querySelector('xiaoer-loader')).toBeNull();
    expect(idle).toHaveLength(0);
    expect(widget.imports).not.toHaveBeenCalled();

    const chat = window.Xiaoer!.init({ container }) as unknown as Promise<HTMLElement>;
    expect(standIn()).not.toBeNull();
    idle.forEach((task) => task());
    expect((await chat).parentElement).toBe(container);
    delete window.Xiaoer;
  });
});
