// dist/xiaoer.js, the script tag's only file: a small classic script with no framework. It defines
// `window.Xiaoer` at once, draws a stand-in launcher, and imports the widget (dist/xiaoer-widget/embed.js
// and its chunks, next to this file) on the first interaction — pointer over, focus or click on the
// launcher, or `Xiaoer.open()` — or else when the page is idle. Every call made before then is
// queued and replayed in order on the real global (embed.ts), whatever its name and arguments, so
// methods and `init()` fields added there need nothing here.
//
//   <script src="/xiaoer.js" data-locale="zh-CN" defer></script>
//
// The chunks are ES modules from the same origin as this file: a strict `script-src 'self'` allows
// them, and nothing here needs inline script, inline style or eval.
import type { XiaoerChat } from '../components/chat/chat.js';
import type { XiaoerConfig, XiaoerGlobal } from '../embed.js';
import { drawLauncher } from './launcher.js';

/** What the loader imports: the widget module (embed.ts). */
export interface WidgetModule {
  boot(script: HTMLScriptElement | null, locale?: string): Promise<XiaoerGlobal>;
}

export interface LoaderOptions {
  /** The script tag, for its `data-*` configuration. */
  script: HTMLScriptElement | null;
  /** Imports the widget module. */
  importWidget: () => Promise<WidgetModule>;
  /** Longest wait for an idle moment before loading anyway (ms). Default 4000. */
  idleTimeout?: number;
}

interface Call {
  name: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  /** `on()` only: set once unsubscribed before the widget loaded. */
  cancelled?: boolean;
  /** `on()` only: the real unsubscribe, once replayed. */
  off?: () => void;
}

type AnyGlobal = Record<string, unknown> & XiaoerGlobal;

/** Only the shape of a locale tag matters here: Chinese or not (see locales/index.ts `resolveLocale`). */
const launcherLang = (tag: string | undefined): 'en' | 'zh-CN' => (/^zh([-_]|$)/i.test((tag ?? '').trim()) ? 'zh-CN' : 'en');

/**
 * Builds the stand-in global. Exported for tests; the build calls it once, below. Until the widget
 * has loaded, each call returns a promise of the real call's result (`on()` returns its
 * unsubscribe at once) and `client` is undefined; after, every access goes to the real global.
 */
export function createLoader({ script, importWidget, idleTimeout = 4000 }: LoaderOptions): XiaoerGlobal {
  const data = script?.dataset ?? {};
  const queue: Call[] = [];
  let real: AnyGlobal | undefined;
  let loading: Promise<void> | undefined;
  let standIn: HTMLElement | undefined;
  /** Whether the buyer asked the stand-in for the panel (each click toggles it, as the real one does). */
  let wantsOpen = data.open !== undefined && data.open !== 'false';
  let locale: string | undefined = data.locale;

  const load = (): Promise<void> => {
    loading ??= importWidget()
      .then((widget) => widget.boot(script, locale))
      .then((global) => {
        real = global as AnyGlobal;
        replay();
      })
      .catch((error: unknown) => {
        loading = undefined; // the next interaction tries again
        console.error('[xiaoer] the widget could not be loaded', error);
      });
    return loading;
  };

  const replay = () => {
    let element: XiaoerChat | undefined;
    for (let call = queue.shift(); call; call = queue.shift()) {
      if (call.name === 'on') {
        if (!call.cancelled) call.off = (real!.on as (...a: unknown[]) => () => void)(...call.args);
        continue;
      }
      try {
        const method = real![call.name];
        if (typeof method !== 'function') throw new TypeError(`[xiaoer] Xiaoer.${call.name} is not a function`);
        const result: unknown = method.apply(real, call.args);
        if (call.name === 'init') element = result as XiaoerChat;
        call.resolve(result);
      } catch (error) {
        call.reject(error);
      }
    }
    if (standIn && element) swapLauncher(element, standIn);
    standIn = undefined;
  };

  /** The real launcher takes the stand-in's place once it has rendered: no frame without one. */
  const swapLauncher = (element: XiaoerChat, host: HTMLElement) => {
    const hadFocus = document.activeElement === host;
    void element.updateComplete.then(() => {
      host.remove();
      if (hadFocus && !element.open) element.shadowRoot?.querySelector<HTMLElement>('[part~="launcher"]')?.focus();
    });
  };

  const enqueue = (name: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      queue.push({ name, args, resolve, reject });
    });

  /** The stand-in's own methods; every other name is forwarded the same way (see the Proxy below). */
  const call =
    (name: string) =>
    (...args: unknown[]): unknown => {
      if (real) return (real[name] as (...a: unknown[]) => unknown).apply(real, args);
      switch (name) {
        case 'init':
          if (!queue.some((c) => c.name === 'init')) start((args[0] ?? {}) as XiaoerConfig);
          break;
        case 'open':
          wantsOpen = true;
          break;
        case 'close':
          wantsOpen = false;
          break;
        case 'on': {
          const entry: Call = { name, args, resolve: () => {}, reject: () => {} };
          queue.push(entry);
          return () => {
            entry.cancelled = true;
            entry.off?.();
          };
        }
      }
      const result = enqueue(name, args);
      if (name === 'open') void load();
      return result;
    };

  /** `init()` before the widget loaded: draw the stand-in, and load on interaction or when idle. */
  const start = (config: XiaoerConfig) => {
    locale = config.locale || locale;
    if (config.open) wantsOpen = true;
    if (wantsOpen) void load();
    if (document.querySelector('xiaoer-chat')) return; // another copy's widget is already up
    standIn = drawLauncher(config.container ?? document.body, launcherLang(locale || document.documentElement.lang));
    const button = standIn.shadowRoot!.querySelector('button')!;
    const early = () => void load();
    button.addEventListener('pointerenter', early, { once: true });
    button.addEventListener('focus', early, { once: true });
    button.addEventListener('click', () => {
      const open = !wantsOpen;
      button.setAttribute('aria-expanded', String(open));
      void (open ? stub.open() : stub.close());
    });
    whenIdle(early, idleTimeout);
  };

  const target = {
    init: call('init'),
    open: call('open'),
    close: call('close'),
    identify: call('identify'),
    sendOrderCard: call('sendOrderCard'),
    on: call('on'),
    get client() {
      return real?.client;
    },
  };
  const stub = new Proxy(target, {
    get(object, name, receiver) {
      if (name in object || typeof name === 'symbol') return Reflect.get(object, name, receiver);
      if (real) return real[name];
      // A method this loader does not know (added to embed.ts later): queue it like the others.
      // `then` stays undefined so `await Xiaoer` is not mistaken for a promise.
      return name === 'then' ? undefined : call(name);
    },
  }) as unknown as XiaoerGlobal;
  return stub;
}

/** Runs `task` when the page has loaded and the browser is idle, or after `timeout` ms at most. */
function whenIdle(task: () => void, timeout: number): void {
  const schedule = () => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout });
    else setTimeout(task, Math.min(timeout, 1000));
  };
  if (document.readyState === 'complete') schedule();
  else addEventListener('load', schedule, { once: true });
}

/** Where the widget module is: beside this script, as `xiaoer-widget/embed.js`. */
export function widgetUrl(script: HTMLScriptElement | null): string {
  return new URL('xiaoer-widget/embed.js', script?.src || location.href).href;
}

/**
 * Installs the loader for this script tag, unless a copy of the script already did (a second copy
 * keeps the first one's global and widget). Adds the widget as soon as the page has a body, unless
 * the tag has `data-manual` (then the page calls `Xiaoer.init()`).
 */
export function installLoader(script: HTMLScriptElement | null, importWidget: () => Promise<WidgetModule>, idleTimeout?: number): void {
  if (window.Xiaoer) return;
  const xiaoer = createLoader({ script, importWidget, ...(idleTimeout === undefined ? {} : { idleTimeout }) });
  window.Xiaoer = xiaoer;
  if (script?.hasAttribute('data-manual')) return;
  const init = () => void Promise.resolve(xiaoer.init()).catch((error: unknown) => console.error('[xiaoer]', error));
  // The launcher goes up as soon as there is a <body> to put it in (a tag at the end of the body, or
  // `defer`), not at DOMContentLoaded: a long page would otherwise show it late.
  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init, { once: true });
}
