// The script-tag build's widget half: the real `window.Xiaoer`, behind the loader (loader/loader.ts,
// built as dist/xiaoer.js). The loader defines the global at once, draws a stand-in launcher, and
// imports this module (dist/xiaoer-widget/embed.js, with its chunks beside it) on the first interaction
// or when the page is idle; it then hands every call made so far to `boot()`'s global, in order.
//
//   <script src="/xiaoer.js" data-server="wss://shop.example/xiaoer/ws" data-locale="zh-CN" defer></script>
//
// A logged-in buyer's identity, signed by the shop's server, goes on the same tag:
//
//   <script src="/xiaoer.js" data-buyer-id="b_1" data-buyer-name="Zhang San"
//           data-buyer-expires="1767225600000" data-buyer-signature="<64 hex>" defer></script>
//
// or later, from the page: `Xiaoer.identify({ id, name, expires, signature })`.
//
// Only <xiaoer-chat> and the page's locale load here; the side views (orders, after-sales, help…)
// and another locale load when first shown (internal/lazy-elements.ts, locales/index.ts).
import type { BuyerIdentity, ClientEvents, CommandReceipt, XiaoerClient } from '@xiaoer/core';
import type { XiaoerChat } from './components/chat/chat.js';
import type { XiaoerEventMap } from './events/index.js';
import { XiaoerChat as XiaoerChatElement } from './components/chat/chat.js';
import { loadLocale, resolveLocale } from './locales/index.js';

/** What `Xiaoer.init()` takes; each field defaults to the script tag's `data-*` attribute of the same name. */
export interface XiaoerConfig {
  /** The backend's WebSocket URL. Default: `data-server`, else `ws(s)://<this host>/xiaoer/ws`. */
  server?: string;
  /** `en` or `zh-CN` (any `zh*` tag). Default: `data-locale`, else `<html lang>`. */
  locale?: string;
  /** Separates the stored data of several shops on one origin. Default: `data-namespace`. */
  namespace?: string;
  /** Open the panel right away. Default: whether the tag has `data-open`. */
  open?: boolean;
  /** Where the element goes. Default: `document.body`. */
  container?: Element;
  /**
   * The logged-in buyer, signed by the shop's server (see the protocol's Identity section).
   * Default: `data-buyer-id`, `data-buyer-name`, `data-buyer-expires`, `data-buyer-signature`.
   */
  buyer?: BuyerIdentity;
  /**
   * Asked for a fresh signed identity when the buyer's signature expires mid-session (the chat
   * carries on without losing a message); resolve undefined to go on anonymously. Default: a GET
   * of `identityUrl` when there is one, else none (the identity last given to `identify()` is
   * sent again).
   */
  refreshIdentity?: () => Promise<BuyerIdentity | undefined>;
  /**
   * A same-origin URL of the shop's that answers a logged-in buyer with a freshly signed identity
   * as JSON (`{ id, name?, expires, signature }`), used when no `refreshIdentity` is given.
   * Default: `data-identity-url`.
   */
  identityUrl?: string;
  /**
   * Several tabs of the store share one connection through a leader tab. Default: true, unless the
   * tag has `data-share-tabs="false"`.
   */
  shareTabs?: boolean;
}

/** Widget events by their short name: `Xiaoer.on('open', …)` listens to `xiaoer-open`. */
type WidgetEvents = { [K in keyof XiaoerEventMap as K extends `xiaoer-${infer Short}` ? Short : never]: XiaoerEventMap[K] };

/**
 * The one global of the script-tag build. Until the widget's code has loaded, the loader's stand-in
 * queues every call and replays it in order; meanwhile a call returns a promise of what the real
 * one returns (`on()` alone returns its unsubscribe function at once), and `client` is undefined.
 */
export interface XiaoerGlobal {
  /** Adds the widget to the page (once; later calls return the same element). */
  init(config?: XiaoerConfig): XiaoerChat;
  /** Opens the panel (as soon as the widget exists, if called before). */
  open(): void;
  /** Closes the panel. */
  close(): void;
  /**
   * Sets (or, with `undefined`, clears) the logged-in buyer's signed identity — after a login, a
   * logout, or to renew an expiring signature — and reconnects so the server sees it now.
   */
  identify(identity: BuyerIdentity | undefined): void;
  /** Sends a card of one of the buyer's orders into the chat. Rejects before `init()`. */
  sendOrderCard(orderId: string): Promise<CommandReceipt>;
  /**
   * Listens to a widget event (`open`, `close`, `message-send`) or a client event
   * (`message:received`, `routing:changed`, `connection:changed`, `outbox:dead-letter`, `error`, …).
   * Works before `init()`. Returns the function that stops listening.
   */
  on<K extends keyof WidgetEvents>(event: K, callback: (event: WidgetEvents[K]) => void): () => void;
  on<K extends keyof ClientEvents>(event: K, callback: ClientEvents[K]): () => void;
  /** The client behind the widget, once `init()` has run. */
  readonly client: XiaoerClient | undefined;
}

declare global {
  interface Window {
    Xiaoer?: XiaoerGlobal;
  }
}

const WIDGET_EVENTS: ReadonlySet<string> = new Set<keyof WidgetEvents>(['open', 'close', 'message-send']);

/** The identity on the script tag, when it carries a complete one. */
function identityFrom(data: DOMStringMap): BuyerIdentity | undefined {
  const { buyerId: id, buyerName: name, buyerExpires, buyerSignature: signature } = data;
  const expires = Number(buyerExpires);
  if (!id || !signature || !Number.isSafeInteger(expires)) return undefined;
  return { id, expires, signature, ...(name ? { name } : {}) };
}

/** A signed identity from the shop's identity URL, or undefined when the answer is not one. */
export async function fetchIdentity(url: string): Promise<BuyerIdentity | undefined> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) return undefined;
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, name, expires, signature } = body as Record<string, unknown>;
  if (typeof id !== 'string' || !id || typeof signature !== 'string' || !/^[0-9a-f]{64}$/i.test(signature)) return undefined;
  if (typeof expires !== 'number' || !Number.isSafeInteger(expires)) return undefined;
  return { id, expires, signature, ...(typeof name === 'string' && name ? { name } : {}) };
}

/** Builds the global from the script tag's `data-*` (exported for tests; the build calls it once, below). */
export function createXiaoerGlobal(script: HTMLScriptElement | null): XiaoerGlobal {
  const data = script?.dataset ?? {};
  let element: XiaoerChat | undefined;
  let pendingOpen: boolean | undefined;
  /** The identity the element's client sends on every (re)connection. */
  let currentIdentity: BuyerIdentity | undefined = identityFrom(data);
  /** Subscriptions made before init(); each attaches itself once the widget exists. */
  const waiting = new Set<(element: XiaoerChat) => void>();

  const defaults = (): XiaoerConfig => ({
    server: data.server || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/xiaoer/ws`,
    ...(data.locale ? { locale: data.locale } : {}),
    ...(data.namespace ? { namespace: data.namespace } : {}),
    ...(data.identityUrl ? { identityUrl: data.identityUrl } : {}),
    shareTabs: data.shareTabs !== 'false',
    open: data.open !== undefined && data.open !== 'false',
  });

  const attach = (name: string, callback: (...args: never[]) => void, to: XiaoerChat): (() => void) => {
    if (WIDGET_EVENTS.has(name)) {
      const listener = callback as unknown as EventListener;
      to.addEventListener(`xiaoer-${name}`, listener);
      return () => to.removeEventListener(`xiaoer-${name}`, listener);
    }
    const client = to.client;
    return client ? client.on(name as keyof ClientEvents, callback as ClientEvents[keyof ClientEvents]) : () => {};
  };

  return {
    init(config = {}) {
      if (element) return element;
      const options = { ...defaults(), ...config };
      const chat = document.createElement('xiaoer-chat');
      if (config.buyer) currentIdentity = config.buyer;
      // Before it connects: the first session.start already carries the identity.
      chat.buyer = currentIdentity;
      const { identityUrl } = options;
      const refresh = options.refreshIdentity ?? (identityUrl ? () => fetchIdentity(identityUrl) : undefined);
      if (refresh) chat.refreshIdentity = refresh;
      if (options.server) chat.server = options.server;
      if (options.locale) chat.locale = options.locale;
      if (options.namespace) chat.namespace = options.namespace;
      chat.shareTabs = options.shareTabs !== false;
      chat.open = pendingOpen ?? options.open ?? false;
      (options.container ?? document.body).append(chat); // connecting it creates and starts its client
      element = chat;
      for (const subscribe of [...waiting]) subscribe(chat);
      waiting.clear();
      return chat;
    },
    open() {
      if (element) element.open = true;
      else pendingOpen = true;
    },
    close() {
      if (element) element.open = false;
      else pendingOpen = false;
    },
    identify(identity) {
      currentIdentity = identity;
      if (element) element.buyer = identity; // the element reconnects its client
    },
    sendOrderCard(orderId) {
      const client = element?.client;
      return client ? client.sendOrderCard(orderId) : Promise.reject(new Error('[xiaoer] sendOrderCard() before init()'));
    },
    on(name: string, callback: (...args: never[]) => void) {
      if (element) return attach(name, callback, element);
      let detach: (() => void) | undefined;
      const subscribe = (to: XiaoerChat) => void (detach = attach(name, callback, to));
      waiting.add(subscribe);
      return () => {
        waiting.delete(subscribe);
        detach?.();
      };
    },
    get client() {
      return element?.client;
    },
  };
}

/**
 * Registers <xiaoer-chat> (unless a copy already did), loads the locale the widget will show first
 * — `locale` (from `init()` or `data-locale`), else `<html lang>` — and resolves to the global.
 */
export async function boot(script: HTMLScriptElement | null, locale?: string): Promise<XiaoerGlobal> {
  if (!customElements.get('xiaoer-chat')) customElements.define('xiaoer-chat', XiaoerChatElement);
  const tag = locale || script?.dataset.locale || document.documentElement.lang;
  // A failed locale load is not fatal: the element retries it and reports it when it renders.
  await loadLocale(resolveLocale(tag)).catch(() => undefined);
  return createXiaoerGlobal(script);
}
