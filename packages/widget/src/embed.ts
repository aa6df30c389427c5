// The script-tag build (dist/xiaoer.js): one file with Lit, the core and the WebSocket adapter.
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
// It registers <xiaoer-chat>, defines one global, `window.Xiaoer`, and — unless the tag has
// `data-manual` — appends one <xiaoer-chat> to <body> once the document is parsed.
import type { BuyerIdentity, ClientEvents, CommandReceipt, XiaoerClient } from '@xiaoer/core';
import type { XiaoerChat } from './components/chat/chat.js';
import type { XiaoerEventMap } from './events/index.js';
import './define.js';

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
}

/** Widget events by their short name: `Xiaoer.on('open', …)` listens to `xiaoer-open`. */
type WidgetEvents = { [K in keyof XiaoerEventMap as K extends `xiaoer-${infer Short}` ? Short : never]: XiaoerEventMap[K] };

/** The one global of the script-tag build. */
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
      if (options.server) chat.server = options.server;
      if (options.locale) chat.locale = options.locale;
      if (options.namespace) chat.namespace = options.namespace;
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

// A second copy of the script on the page keeps the first one's global and widget.
if (!window.Xiaoer) {
  const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
  const xiaoer = createXiaoerGlobal(script);
  window.Xiaoer = xiaoer;
  if (!script?.hasAttribute('data-manual')) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void xiaoer.init(), { once: true });
    else xiaoer.init();
  }
}
