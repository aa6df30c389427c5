import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  LIMITS,
  type BuyerIdentity,
  XiaoerError,
  countFromOthersAfter,
  createClient,
  createIdbStorage,
  hasIndexedDb,
  selectTimeline,
  textBody,
  type Author,
  type ClientState,
  type RoutingState,
  type Suggestion,
  type TimelineItem,
  type XiaoerClient,
} from '@xiaoer/core';
import { createWebSocketTransport } from '@xiaoer/adapters/websocket';
import { shareAcrossTabs } from '@xiaoer/adapters/tabs';
import { XiaoerElement } from '../../base/xiaoer-element.js';
import type { XiaoerView } from '../../base/xiaoer-view.js';
import type { XiaoerEmojiPicker } from '../emoji-picker/emoji-picker.js';
import type { XiaoerEmojiPickEvent } from '../../events/emoji-pick.js';
import { StoreController } from '../../controllers/store-controller.js';
import { VisualViewportController } from '../../controllers/visual-viewport.js';
import { MAX_PENDING_PHOTOS, PendingPhotos } from '../../controllers/pending-photos.js';
import { linkify } from '../../internal/linkify.js';
import { dayLabel, eachNewDay, formatTime } from '../../internal/dates.js';
import { VIEW_ELEMENTS, showLazily } from '../../internal/lazy-elements.js';
import { AgentJoinedNotifier, askNotificationPermission } from '../../controllers/agent-joined-notifier.js';
import type { XiaoerNavigateDetail, XiaoerNavigateEvent, XiaoerRoute } from '../../events/navigate.js';
import { PHOTO_ACCEPT, type PhotoError } from '../../internal/photo.js';
import { chatStyles } from './chat.styles.js';
import { chatThemeStyles } from './chat-theme.styles.js';
import { renderBody, type BodyHost } from './message-body.js';
import { MessageWindow } from './message-window.js';

/**
 * A row of the message list: a message, or the separator before the first message of a calendar
 * day. Separators are rows of the window like messages (measured, scrolled), but not list items:
 * `index` numbers the messages only, for aria-posinset.
 */
type ChatRow =
  | { readonly kind: 'message'; readonly key: string; readonly item: TimelineItem; readonly index: number }
  | { readonly kind: 'day'; readonly key: string; readonly dayStart: number; readonly steady: false };

/** A view of the panel other than the chat itself. */
type PanelView = Exclude<XiaoerRoute, { view: 'chat' } | { view: 'person' }>;

/** Text longer than this (UTF-16 code units) is cut for display, with a "Show more" button. */
export const DISPLAY_CLIP_LENGTH = 2_000;

/** A composer problem, kept as data so it re-renders in the current locale. */
type ComposerError =
  | { kind: 'empty' }
  | { kind: 'too-long' }
  | { kind: 'refused'; message: string }
  | { kind: 'photo'; reason: PhotoError['reason'] }
  | { kind: 'photo-limit' }
  | { kind: 'generic' };

/**
 * @summary A customer-service chat: a launcher button in the page corner and, when open, a panel with
 * the conversation, who is answering, the connection state and a composer — and the buyer's
 * self-service views inside the same panel: orders (with logistics, address change, cancel),
 * after-sales (apply, follow a case), the help center, leave a message, the satisfaction rating and
 * a complaint form. Quick-action chips and bot suggestions open them; "Back" returns.
 *
 * The element renders only from its client's state and acts only through client methods. Give it a
 * client (`chat.client = createClient(…)`), or a WebSocket URL in `server`: it then creates its own
 * client (IndexedDB storage when available), starts it while connected and stops it when removed.
 * A client passed in is never started or stopped by the element.
 *
 * @event xiaoer-open - The panel opened (launcher, `show()`, or `open = true`).
 * @event xiaoer-close - The panel closed (launcher, Escape, the minimize button, `hide()`, or `open = false`).
 * @event {XiaoerMessageSendEvent} xiaoer-message-send - The buyer sent a message and the client queued it; `detail` is `{ id, text }`.
 * @event {XiaoerNavigateEvent} xiaoer-navigate - A view asked for another (bubbles up from the views; the chat follows it).
 * @event {XiaoerRequestCancelOrderEvent} xiaoer-request-cancel-order - From the order view, before cancelling; cancellable.
 * @event {XiaoerRequestWithdrawCaseEvent} xiaoer-request-withdraw-case - From the case view, before withdrawing; cancellable.
 *
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The chat dialog.
 * @csspart header - The panel's top bar.
 * @csspart title - Who is answering: the assistant, the queue position, the agent's name, or why nobody is.
 * @csspart handoff - "Leave queue" while queued.
 * @csspart menu-button - The header's "More options" button.
 * @csspart menu - Its menu (download transcript, complaint).
 * @csspart close-button - The panel's own minimize button.
 * @csspart view - The frame around a view other than the chat (orders, after-sales…).
 * @csspart back-button - "Back", on top of a view.
 * @csspart view-content - The view element itself; also `order-list`, `order-detail`, `after-sales-form`,
 *   `case-list`, `case-detail`, `help-center`, `leave-message`, `complaint-form`. Their insides follow
 *   the same `--xiaoer-*` tokens, which inherit into them.
 * @csspart banner - The connection notice (offline, reconnecting).
 * @csspart messages - The message list.
 * @csspart day-separator - The row with the day ("Today", "Yesterday", a weekday, a date) before each day's first message.
 * @csspart older-status - Above the first message: "Loading earlier messages…", or that they could not be loaded.
 * @csspart older-retry - Its "Try again" button.
 * @csspart emoji-button - The composer's emoji button.
 * @csspart emoji-popover - The box above the composer holding the emoji picker.
 * @csspart emoji-grid - The picker's grid of emoji.
 * @csspart emoji - One emoji button in it.
 * @csspart pending-photos - The composer's row of photos waiting for Send.
 * @csspart pending-photo - One of them (a thumbnail).
 * @csspart pending-photo-remove - Its Remove button.
 * @csspart jump-button - "N new messages": shown while the buyer reads further up and messages arrive; scrolls to the newest.
 * @csspart message - Each message row; also `message-buyer`, `message-bot`, `message-agent`, `message-system`.
 * @csspart message-author - The author's display name in a row.
 * @csspart message-bubble - The bubble around a message's text.
 * @csspart message-text - A message's text.
 * @csspart message-link - A link in a message (http, https and mailto only).
 * @csspart message-image-button - The button around a photo in the chat; opens the viewer.
 * @csspart message-image - A photo in the chat.
 * @csspart order-card - An order card in the chat.
 * @csspart product-card - A product card in the chat.
 * @csspart notice-action - "View order" / "View case" under a notice.
 * @csspart feedback - "Was this helpful?" under an FAQ answer.
 * @csspart rating - The satisfaction card after an agent session.
 * @csspart image-viewer - The photo viewer dialog.
 * @csspart show-more-button - "Show more" / "Show less" on a clipped long message.
 * @csspart message-meta - The line with the time and delivery state.
 * @csspart message-time - A message's time.
 * @csspart message-status - The delivery state of the buyer's own message.
 * @csspart resend-button - "Resend" on a message that was not sent.
 * @csspart discard-button - "Delete" beside it: the message is given up and leaves the conversation.
 * @csspart suggestions - The quick-reply chips under the bot's latest answer.
 * @csspart suggestion - One quick-reply chip.
 * @csspart typing - "… is typing" under the messages.
 * @csspart composer - The area with the text box and the send button.
 * @csspart photo-button - "Send a photo".
 * @csspart input - The message text box.
 * @csspart send-button - The send button.
 * @csspart composer-error - Why the last message could not be sent.
 * @csspart quick-actions - The chips under the composer (my orders, returns, help, a person).
 * @csspart quick-action - One of those chips.
 *
 * @cssproperty [--xiaoer-dark-color-surface=#18181b] - The dark scheme's values, one per theme colour (`--xiaoer-dark-color-*`).
 * @cssproperty [--xiaoer-color-primary=#c2410c] - Brand colour: launcher, header, buyer bubbles, chips.
 * @cssproperty [--xiaoer-color-on-primary=#ffffff] - Text on the brand colour.
 * @cssproperty [--xiaoer-color-surface=#ffffff] - Panel background.
 * @cssproperty [--xiaoer-color-surface-alt=#f4f4f5] - Bubbles of the other side.
 * @cssproperty [--xiaoer-color-text=#18181b] - Body text.
 * @cssproperty [--xiaoer-color-text-muted=#52525b] - Names, times, states.
 * @cssproperty [--xiaoer-color-border=#d4d4d8] - Borders.
 * @cssproperty [--xiaoer-color-danger=#b91c1c] - Failures and the unread badge.
 * @cssproperty [--xiaoer-color-focus=#2563eb] - Focus ring.
 * @cssproperty [--xiaoer-font-family=system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif] - Font stack.
 * @cssproperty [--xiaoer-font-size=14px] - Base font size.
 * @cssproperty [--xiaoer-radius=12px] - Corner radius of the panel and bubbles.
 * @cssproperty [--xiaoer-shadow=0 8px 32px rgb(0 0 0 / 0.2)] - Shadow of the launcher and panel.
 * @cssproperty [--xiaoer-z-index=2147483000] - Stacking order of the launcher and panel.
 * @cssproperty [--xiaoer-offset=20px] - Distance from the viewport's bottom-right corner.
 * @cssproperty [--xiaoer-launcher-size=56px] - Launcher diameter.
 * @cssproperty [--xiaoer-launcher-bg=var(--xiaoer-color-primary)] - Launcher background.
 * @cssproperty [--xiaoer-launcher-color=var(--xiaoer-color-on-primary)] - Launcher icon colour.
 * @cssproperty [--xiaoer-panel-width=380px] - Panel width on screens wider than 640px.
 * @cssproperty [--xiaoer-panel-height=600px] - Panel height on screens wider than 640px.
 * @cssproperty [--xiaoer-panel-bg=var(--xiaoer-color-surface)] - Panel background.
 * @cssproperty [--xiaoer-header-bg=var(--xiaoer-color-primary)] - Header background.
 * @cssproperty [--xiaoer-header-color=var(--xiaoer-color-on-primary)] - Header text.
 * @cssproperty [--xiaoer-banner-bg=#fef3c7] - Connection banner background.
 * @cssproperty [--xiaoer-banner-color=#78350f] - Connection banner text.
 * @cssproperty [--xiaoer-bubble-bg=var(--xiaoer-color-surface-alt)] - Bubbles of the bot and agents.
 * @cssproperty [--xiaoer-bubble-color=var(--xiaoer-color-text)] - Text in those bubbles.
 * @cssproperty [--xiaoer-bubble-buyer-bg=var(--xiaoer-color-primary)] - The buyer's bubbles.
 * @cssproperty [--xiaoer-bubble-buyer-color=var(--xiaoer-color-on-primary)] - Text in the buyer's bubbles.
 * @cssproperty [--xiaoer-chip-bg=var(--xiaoer-color-surface)] - Quick-reply chip background.
 * @cssproperty [--xiaoer-chip-color=var(--xiaoer-color-primary)] - Quick-reply chip text.
 * @cssproperty [--xiaoer-send-bg=var(--xiaoer-color-primary)] - Send button background.
 * @cssproperty [--xiaoer-badge-bg=var(--xiaoer-color-danger)] - Unread badge background.
 * @cssproperty [--xiaoer-jump-bg=var(--xiaoer-color-primary)] - "Jump to latest" background.
 * @cssproperty [--xiaoer-jump-color=var(--xiaoer-color-on-primary)] - "Jump to latest" text.
 *
 * @example
 * <xiaoer-chat server="wss://shop.example/xiaoer/ws" lang="zh-CN"></xiaoer-chat>
 */
export class XiaoerChat extends XiaoerElement {
  static override styles = [...XiaoerElement.styles, chatStyles, chatThemeStyles];

  // Everything below renders from these selections of the client's state.
  private readonly timeline = new StoreController(this, () => this.client, selectTimeline);
  private readonly routing = new StoreController(this, () => this.client, (s) => s.routing);
  private readonly connection = new StoreController(this, () => this.client, (s) => s.connection);
  private readonly typing = new StoreController(this, () => this.client, (s) => s.typing);
  private readonly routingPending = new StoreController(this, () => this.client, isRoutingCommandPending);
  private readonly agentsAvailable = new StoreController(this, () => this.client, (s) => s.agentsAvailable);
  private readonly historyStart = new StoreController(this, () => this.client, (s) => s.historyStart);
  private readonly agentJoined = new AgentJoinedNotifier(this, () => this.client, {
    isWatching: () => this.open && document.visibilityState === 'visible',
    text: (name) => this.strings.agentJoinedNotification(name),
  });
  /** A whole snapshot, refreshed only when the messages or the conversation change: the unread count's input. */
  private readonly history = new StoreController(this, () => this.client, (s) => s, sameHistory);
  /** Only the messages in view (and an overscan) are in the DOM: a conversation can hold thousands. */
  private readonly rows = new MessageWindow(this, () => this.messageList);
  /** Photos picked, pasted or dropped into the composer, shown until Send. */
  private readonly pendingPhotos = new PendingPhotos(this, (problem) => {
    this.composerError = problem === 'limit' ? { kind: 'photo-limit' } : { kind: 'photo', reason: problem };
  });
  /** Keeps the phone layout clear of the on-screen keyboard. */
  private readonly viewportFit = new VisualViewportController(this, () => this.open);

  @query('.launcher') private launcher!: HTMLButtonElement;
  @query('.panel') private panel!: HTMLElement;
  @query('.messages') private messageList!: HTMLDivElement;
  @query('.input') private input!: HTMLTextAreaElement | null;
  @query('.photo-input') private photoInput!: HTMLInputElement | null;
  @query('.viewer') private viewerDialog!: HTMLDialogElement | null;
  @query('.menu-button') private menuButton!: HTMLButtonElement | null;
  @query('.emoji-button') private emojiButton!: HTMLButtonElement | null;

  /**
   * The client to render. When set, it wins over `server`; the element never starts or stops it.
   * Reading it returns the element's own client when it made one from `server`.
   */
  @property({ attribute: false })
  get client(): XiaoerClient | undefined {
    return this.givenClient ?? this.own?.client;
  }
  set client(value: XiaoerClient | undefined) {
    this.givenClient = value;
  }

  /** A `ws://` or `wss://` URL. Without a `client`, the element creates, starts and stops its own. */
  @property() server?: string;

  /** Separates the stored data of several shops on one origin (the own client's `namespace`). */
  @property() namespace?: string;

  /**
   * Whether the own client shares one connection with the other tabs of this store and buyer: one
   * tab holds it, the others relay through it, and every tab shows the conversation live. On by
   * default (where Web Locks and BroadcastChannel exist); `share-tabs="false"` gives each tab its own.
   */
  @property({ attribute: 'share-tabs', converter: { fromAttribute: (value) => value !== 'false' } }) shareTabs = true;

  /**
   * The signed identity of the logged-in buyer (from the shop's server), sent when the element's
   * own client connects; changing it reconnects. A client passed in `client` has its own `identity`.
   */
  @property({ attribute: false }) buyer?: BuyerIdentity;

  /**
   * Asked for a fresh signed identity when the server says `buyer`'s signature is about to expire
   * or has expired mid-session (the own client's `refreshIdentity`); the chat carries on without a
   * reconnect and without losing a message. Resolve undefined to go on as an anonymous visitor.
   * Without it, `buyer` is read again.
   */
  @property({ attribute: false }) refreshIdentity?: () => Promise<BuyerIdentity | undefined>;

  /** Whether the panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** Colour scheme: follow the buyer's system (`auto`, the default), or force `light` or `dark`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /** The views on top of the chat, last shown on top; empty while the chat itself shows. */
  @state() private views: readonly PanelView[] = [];
  @state() private menuOpen = false;
  /** The emoji picker above the composer (its code loads when first opened). */
  @state() private emojiOpen = false;
  /** The photo open in the viewer, and what to give focus back to. */
  @state() private viewer: { url: string; trigger: HTMLElement } | null = null;
  /** The buyer's "Was this helpful?" answers, by message id. */
  @state() private feedback: ReadonlyMap<string, boolean> = new Map();
  /** A passing notice in the banner (a transcript that could not be made). */
  @state() private notice = '';

  /** Keys of long messages the buyer expanded. */
  @state() private expanded: ReadonlySet<string> = new Set();
  @state() private composerError: ComposerError | null = null;
  /**
   * Loading the messages before the first one held, when the buyer reaches the top: 'failed' shows
   * a Try again, and ends when the link comes back.
   */
  @state() private older: 'idle' | 'loading' | 'failed' = 'idle';
  /** The connection state the last failure happened in: a new one (the link came back) clears it. */
  private olderFailedIn: unknown = null;

  private givenClient: XiaoerClient | undefined;
  private own: { client: XiaoerClient; server: string; namespace: string | undefined; shareTabs: boolean } | undefined;
  /** The last `server` value refused, so it is reported once rather than on every update. */
  private rejectedServer: string | undefined;
  /** Unread bookkeeping: the newest message seq the buyer has had the panel open for. */
  private seen: { client: XiaoerClient | undefined; conversationId: string | null; seq: number } | null = null;
  private unread = 0;
  /** The client has been online since it was attached: a later 'connecting' is a reconnection. */
  private onlineOnce: XiaoerClient | undefined;
  private lastItemKey: string | undefined;
  /** The rows for the last timeline seen (rebuilt only when it changes). */
  private chatRows: { items: readonly TimelineItem[]; rows: readonly ChatRow[] } | undefined;
  /** The newest message the buyer has had in view at the bottom of the list. */
  private seenKey: string | undefined;
  /** Messages from others below the view ("Jump to latest"), and what was announced when they came. */
  private newBelow = 0;
  private newBelowNotice = '';
  private wasAtBottom = true;
  private focusWasInPanel = false;
  /** A navigation happened: move focus to the new view's heading (or the composer) once it renders. */
  private focusView = false;

  override connectedCallback(): void {
    // Before super: the store controllers subscribe in super.connectedCallback() and must see the own client.
    this.syncOwnClient();
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.own?.client.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.isConnected && (changed.has('client') || changed.has('server') || changed.has('namespace') || changed.has('shareTabs'))) this.syncOwnClient();
    // A new identity is sent with the next session.start: reconnect the own client to send it now
    // (which also moves a shared link's tab to the new buyer's tabs: see `tabs` in syncOwnClient).
    if (changed.has('buyer') && this.hasUpdated && this.own && this.isConnected) {
      this.own.client.stop();
      this.own.client.start().catch((error: unknown) => console.error('[xiaoer] client failed to start', error));
    }

    const client = this.client;
    if (this.connection.value.status === 'online') this.onlineOnce = client;
    this.unread = this.countUnread(client);

    if (changed.has('open') && !this.open) this.focusWasInPanel = this.panel?.matches(':focus-within') ?? false;
    this.wasAtBottom = this.rows.pinned;
    this.countNewBelow();
    // A failed load of earlier messages is tried again once the link is back.
    const connection = this.connection.value;
    if (this.older === 'failed' && connection !== this.olderFailedIn && connection.status === 'online') this.older = 'idle';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.loadOlderAtTop();
    const items = this.timeline.value;
    const last = items[items.length - 1];
    if (last?.key !== this.lastItemKey) {
      this.lastItemKey = last?.key;
      // Follow new messages unless the buyer scrolled up to read; their own message always shows.
      if (this.wasAtBottom || last?.author.role === 'buyer') this.scrollToBottom();
    }
    if (this.rows.pinned) this.seenKey = last?.key;
    // The initial state is no transition: no event, and no focus taken from the page on load.
    if (changed.has('open') && changed.get('open') !== undefined) {
      if (this.open) {
        this.scrollToBottom();
        this.focusView = true;
        this.emit('xiaoer-open');
      } else {
        if (this.focusWasInPanel) this.launcher.focus();
        this.focusWasInPanel = false;
        this.emit('xiaoer-close');
      }
    }
    if (this.focusView && this.open) {
      this.focusView = false;
      const view = this.renderRoot.querySelector<XiaoerView>('.view-body > *');
      // A side view's code may still be loading: focus it once it is defined.
      if (view) void customElements.whenDefined(view.localName).then(() => view.focusHeading());
      else {
        this.scrollToBottom();
        this.input?.focus();
      }
    }
  }

  /** Makes, replaces or drops the element's own client to match `server`, `namespace`, `shareTabs` and `client`. */
  private syncOwnClient(): void {
    const server = this.givenClient ? undefined : this.server?.trim() || undefined;
    const namespace = this.namespace || undefined;
    if (this.own && (this.own.server !== server || this.own.namespace !== namespace || this.own.shareTabs !== this.shareTabs)) {
      this.own.client.stop();
      this.own = undefined;
    }
    if (!this.own && server) {
      const url = webSocketUrl(server);
      if (!url) {
        if (this.rejectedServer !== server) console.warn(`[xiaoer] <xiaoer-chat server="${server}">: expected a ws:// or wss:// URL`);
        this.rejectedServer = server;
        return;
      }
      const socket = createWebSocketTransport({ url });
      // Tabs of one store and one buyer share the link; another buyer's tab never hears this one's events.
      // Read on every connection: the restart that follows a change of `buyer` joins the new buyer's tabs.
      const tabs = () => `${namespace ?? 'xiaoer'} ${url} ${this.buyer?.id ?? 'guest'}`;
      const client = createClient({
        transport: this.shareTabs ? shareAcrossTabs(socket, { name: tabs }) : socket,
        storage: hasIndexedDb() ? createIdbStorage() : undefined,
        namespace,
        locale: this.resolvedLocale,
        // Read on every (re)connection, so a renewed signature goes out with the next session.
        identity: () => this.buyer,
        // Read when the server asks for a renewal, so a callback set after start is used.
        refreshIdentity: () => (this.refreshIdentity ? this.refreshIdentity() : Promise.resolve(this.buyer)),
      });
      this.own = { client, server, namespace, shareTabs: this.shareTabs };
      this.requestUpdate();
    }
    // start() is idempotent; it rejects only on a bug, which must not be swallowed.
    this.own?.client.start().catch((error: unknown) => console.error('[xiaoer] client failed to start', error));
  }

  private countUnread(client: XiaoerClient | undefined): number {
    const state = this.history.value;
    if (!client || !state.hydrated) return 0;
    const newest = state.messages[state.messages.length - 1]?.seq ?? 0;
    const seen = this.seen;
    if (!seen || seen.client !== client || this.open) {
      // History already on the device when the widget first shows it counts as read.
      this.seen = { client, conversationId: state.conversationId, seq: newest };
    } else if (seen.conversationId !== state.conversationId) {
      // A new conversation (the server started over): everything in it is new.
      this.seen = { client, conversationId: state.conversationId, seq: seen.conversationId === null ? seen.seq : 0 };
    }
    return this.open ? 0 : countFromOthersAfter(state, this.seen!.seq);
  }

  private scrollToBottom(): void {
    this.rows.scrollToEnd();
  }

  /**
   * Counts the messages from others that arrived below the view since the buyer was last at the
   * bottom. The notice for screen readers is set once when the count first appears (and not again
   * as it grows), so the arrival is announced once, politely.
   */
  private countNewBelow(): void {
    const items = this.timeline.value;
    let count = 0;
    if (!this.rows.pinned) {
      // From the newest back to the last one seen (not found: it left memory, and all are new).
      for (let i = items.length - 1; i >= 0 && items[i]!.key !== this.seenKey; i--) if (items[i]!.author.role !== 'buyer') count++;
    }
    this.newBelow = count;
    if (count === 0) this.newBelowNotice = '';
    else if (!this.newBelowNotice) this.newBelowNotice = this.strings.newMessages(count);
  }

  /** "Jump to latest": to the newest message; focus goes to the list, as the button leaves. */
  private jumpToLatest(): void {
    this.rows.scrollToEnd();
    this.messageList?.focus({ preventScroll: true });
  }

  /** The timeline as rows, with a day separator before each day's first message. */
  private rowsOf(items: readonly TimelineItem[]): readonly ChatRow[] {
    if (this.chatRows?.items === items) return this.chatRows.rows;
    const rows: ChatRow[] = [];
    let next = 0;
    const pushUpTo = (end: number) => {
      for (; next < end; next++) rows.push({ kind: 'message', key: items[next]!.key, item: items[next]!, index: next });
    };
    eachNewDay(
      items.length,
      (i) => items[i]!.createdAt,
      (dayStart, index) => {
        pushUpTo(index);
        rows.push({ kind: 'day', key: `day:${dayStart}`, dayStart, steady: false });
      },
    );
    pushUpTo(items.length);
    this.chatRows = { items, rows };
    return rows;
  }

  private onLauncherClick(): void {
    this.open = !this.open;
  }

  private onPanelKeydown(event: KeyboardEvent): void {
    // The photo viewer and the menu close themselves on Escape; the panel stays.
    if (event.key !== 'Escape' || event.isComposing || event.defaultPrevented || this.viewer) return;
    event.preventDefault();
    this.open = false;
  }

  private onInputKeydown(event: KeyboardEvent): void {
    // keyCode 229: the keydown that ends an IME composition in Safari, where isComposing is already false.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void this.sendDraft();
  }

  private onInput(): void {
    this.composerError = null;
    this.client?.setTyping((this.input?.value ?? '').trim() !== '');
  }

  private onSendClick(): void {
    void this.sendDraft();
    this.input?.focus();
  }

  /**
   * Sends what is in the composer. The box is cleared at once (so a fast second Enter cannot send
   * it twice) and the draft is put back if the client refuses it.
   */
  private async sendDraft(): Promise<void> {
    const input = this.input;
    if (!input) return;
    const draft = input.value;
    input.value = '';
    // The photos first, in the order added, then the words that go with them.
    if (this.pendingPhotos.items.length > 0) {
      if (!(await this.sendPhotos())) {
        if (input.value === '') input.value = draft;
        return;
      }
      if (draft.trim() === '') return;
    }
    const sent = await this.sendText(draft);
    if (!sent && input.value === '') input.value = draft;
  }

  private async sendPhotos(): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    for (const photo of await this.pendingPhotos.take()) {
      try {
        await client.sendImage(photo);
      } catch (error) {
        this.composerError = describeSendError(error);
        return false;
      }
    }
    this.composerError = null;
    return true;
  }

  private async sendText(text: string): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      const { id } = await client.sendText(text);
      this.composerError = null;
      const item = selectTimeline(client.getSnapshot()).find((i) => i.key === id);
      this.emit('xiaoer-message-send', { id, text: item?.body.kind === 'text' ? item.body.text : text.trim() });
      return true;
    } catch (error) {
      this.composerError = describeSendError(error, text);
      return false;
    }
  }

  private onSuggestion(suggestion: Suggestion): void {
    switch (suggestion.action) {
      case 'handoff':
        return this.talkToPerson();
      case 'open-orders':
        return this.navigate({ view: 'orders' });
      case 'open-after-sales':
        return this.navigate({ view: 'cases' });
      case 'open-help':
        return this.navigate({ view: 'help' });
      case 'leave-message':
        return this.navigate({ view: 'leave-message' });
      case 'send-text':
        void this.sendText(suggestion.text ?? suggestion.label);
    }
  }

  /**
   * "Talk to a person": a handoff request while agents can take one; outside service hours, or when
   * nobody is free, the leave-a-message form instead.
   */
  private talkToPerson(): void {
    if (this.routing.value.phase === 'offline' || !this.agentsAvailable.value) return this.navigate({ view: 'leave-message' });
    askNotificationPermission();
    this.client?.requestHandoff().catch(this.onCommandError);
    if (this.views.length > 0) this.navigate({ view: 'chat' });
  }

  /** Shows a view (or the chat, or a person): from chips, suggestions, cards and the views' own events. */
  private navigate(to: XiaoerNavigateDetail): void {
    this.menuOpen = false;
    if (to.view === 'person') return this.talkToPerson();
    if (to.view === 'chat') this.views = [];
    else {
      const { replace, ...route } = to;
      const below = replace ? this.views.slice(0, -1) : this.views;
      const top = below[below.length - 1];
      // Asking for the view already on top (twice the same chip) does not stack it again.
      if (!top || JSON.stringify(top) !== JSON.stringify(route)) this.views = [...below, route as PanelView];
      else this.views = below;
    }
    this.focusView = true;
  }

  private onNavigate = (event: XiaoerNavigateEvent): void => this.navigate(event.detail);

  private back(): void {
    this.views = this.views.slice(0, -1);
    this.focusView = true;
  }

  private onPhotoPicked(): void {
    const input = this.photoInput;
    if (!input?.files) return;
    const files = [...input.files];
    input.value = '';
    this.addPhotos(files);
    this.input?.focus();
  }

  private addPhotos(files: readonly File[]): void {
    if (files.length === 0) return;
    this.composerError = null;
    this.pendingPhotos.add(files);
  }

  /** A pasted image joins the photos to send; pasted text goes into the box as usual. */
  private onPaste(event: ClipboardEvent): void {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])].filter((file) => file.type.startsWith('image/'));
    if (files.length === 0) return;
    if (!data?.types.includes('text/plain')) event.preventDefault();
    this.addPhotos(files);
  }

  private toggleEmoji(): void {
    if (this.emojiOpen) return this.closeEmoji(true);
    this.emojiOpen = true;
    showLazily('xiaoer-emoji-picker');
    void this.updateComplete.then(async () => {
      const picker = this.renderRoot.querySelector<XiaoerEmojiPicker>('xiaoer-emoji-picker');
      if (!picker) return;
      await customElements.whenDefined('xiaoer-emoji-picker');
      if (this.emojiOpen) await picker.focusFirst();
    });
  }

  private closeEmoji(refocus: boolean): void {
    if (!this.emojiOpen) return;
    this.emojiOpen = false;
    if (refocus) this.emojiButton?.focus();
  }

  /** Puts the emoji where the caret was in the box (replacing a selection); the picker stays open for more. */
  private onEmojiPick(event: XiaoerEmojiPickEvent): void {
    const input = this.input;
    if (!input) return;
    input.setRangeText(event.detail.emoji, input.selectionStart, input.selectionEnd, 'end');
    this.onInput();
  }

  private onEmojiFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (next && !(event.currentTarget as HTMLElement).contains(next)) this.closeEmoji(false);
  }

  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }

  private onDrop(event: DragEvent): void {
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.addPhotos(files);
    this.input?.focus();
  }

  private sendFeedback(messageId: string, helpful: boolean): void {
    if (this.feedback.get(messageId) === helpful) return;
    this.feedback = new Map(this.feedback).set(messageId, helpful);
    this.client?.sendFaqFeedback(messageId, helpful).catch(this.onCommandError);
  }

  private openImage(url: string, trigger: HTMLElement): void {
    this.viewer = { url, trigger };
    void this.updateComplete.then(() => this.viewerDialog?.showModal());
  }

  private onViewerClosed(): void {
    const trigger = this.viewer?.trigger;
    this.viewer = null;
    trigger?.focus();
  }

  /** The conversation as a text file the buyer keeps (a Blob and `<a download>`: no data: URL). */
  private async downloadTranscript(): Promise<void> {
    this.closeMenu(true);
    const client = this.client;
    if (!client) return;
    this.notice = '';
    try {
      const text = await client.transcript({ locale: this.resolvedLocale });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `xiaoer-transcript-${new Date().toISOString().slice(0, 10)}.txt`;
      link.hidden = true;
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      // The browser reads the blob after this task; revoking at once can cancel the download.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      console.error('[xiaoer] transcript', error);
      this.notice = this.strings.nav.transcriptFailed;
    }
  }

  // ---------------------------------------------------------------- header menu

  private menuItems(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  }

  private async toggleMenu(): Promise<void> {
    this.menuOpen = !this.menuOpen;
    if (!this.menuOpen) return;
    await this.updateComplete;
    this.menuItems()[0]?.focus();
  }

  private closeMenu(refocus: boolean): void {
    if (!this.menuOpen) return;
    this.menuOpen = false;
    if (refocus) this.menuButton?.focus();
  }

  private onMenuKeydown(event: KeyboardEvent): void {
    const items = this.menuItems();
    const at = items.indexOf(this.renderRoot instanceof ShadowRoot ? (this.renderRoot.activeElement as HTMLElement) : (event.target as HTMLElement));
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closeMenu(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (event.key === 'Tab') {
      this.closeMenu(false);
    }
  }

  private onMenuFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (!next || !(event.currentTarget as HTMLElement).contains(next)) this.closeMenu(false);
  }

  private cancelHandoff(): void {
    this.client?.cancelHandoff().catch(this.onCommandError);
  }

  private onCommandError = (error: unknown): void => {
    this.composerError = describeSendError(error);
  };

  private toggleExpanded(key: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(key)) next.add(key);
    this.expanded = next;
  }

  /** Opens the panel; resolves once it is rendered and the composer has focus. */
  async show(): Promise<void> {
    this.open = true;
    await this.updateComplete;
  }

  /** Closes the panel; resolves once it is hidden. */
  async hide(): Promise<void> {
    this.open = false;
    await this.updateComplete;
  }

  private authorName(author: Author): string {
    const s = this.strings;
    switch (author.role) {
      case 'buyer':
        return s.you;
      case 'bot':
        return s.botName;
      case 'agent':
        return author.name || s.agentFallbackName;
      case 'system':
        return s.systemName;
    }
  }

  private headerTitle(routing: RoutingState): string {
    const s = this.strings;
    switch (routing.phase) {
      case 'bot':
        return s.botName;
      case 'queued':
        return s.queued(routing.position, Math.max(1, Math.ceil(routing.etaSeconds / 60)));
      case 'agent':
        return routing.agent.name || s.agentFallbackName;
      case 'ended':
      case 'rated':
        return s.chatEnded;
      case 'offline':
        return routing.reason === 'closed-hours' ? s.offlineClosedHours : s.offlineNoAgent;
    }
  }

  private bannerText(): string {
    const connection = this.connection.value;
    if (connection.status === 'offline') return this.strings.bannerOffline;
    if (connection.status === 'connecting' && this.onlineOnce === this.client && this.client) return this.strings.bannerReconnecting;
    return this.notice;
  }

  private typingText(): string {
    const typing = this.typing.value;
    if (!typing || typing.role === 'buyer') return '';
    return this.strings.typing(this.authorName(typing));
  }

  private errorText(error: ComposerError | null): string {
    const s = this.strings;
    switch (error?.kind) {
      case undefined:
        return '';
      case 'empty':
        return s.errorEmpty;
      case 'too-long':
        return s.errorTooLong(LIMITS.messageText);
      case 'refused':
        return error.message;
      case 'photo':
        return s.problems.photo[error.reason];
      case 'photo-limit':
        return s.media.pendingLimit(MAX_PENDING_PHOTOS);
      case 'generic':
        return s.errorGeneric;
    }
  }

  private renderHandoff() {
    if (this.routing.value.phase !== 'queued') return nothing;
    return html`<button part="handoff" class="handoff" ?disabled=${this.routingPending.value} @click=${this.cancelHandoff}>${this.strings.leaveQueue}</button>`;
  }

  private renderMenu() {
    const s = this.strings.nav;
    return html`<div class="menu-wrap" @keydown=${this.onMenuKeydown} @focusout=${this.onMenuFocusOut}>
      <button
        part="menu-button"
        class="icon-button menu-button"
        aria-label=${s.more}
        aria-haspopup="menu"
        aria-expanded=${this.menuOpen ? 'true' : 'false'}
        aria-controls="menu"
        @click=${this.toggleMenu}
      >
        ${moreIcon}
      </button>
      ${this.menuOpen
        ? html`<ul part="menu" class="menu" id="menu" role="menu" aria-label=${s.more}>
            <li role="none"><button role="menuitem" tabindex="-1" @click=${this.downloadTranscript}>${s.downloadTranscript}</button></li>
            <li role="none"><button role="menuitem" tabindex="-1" @click=${() => this.navigate({ view: 'complaint' })}>${s.complaint}</button></li>
          </ul>`
        : nothing}
    </div>`;
  }

  /** Text of a text or notice body: clipped past the display limit, with "Show more". */
  private renderText = (item: TimelineItem, text: string) => {
    const s = this.strings;
    const long = text.length > DISPLAY_CLIP_LENGTH;
    const expanded = long && this.expanded.has(item.key);
    const shown = long && !expanded ? clip(text) : text;
    return html`<p part="message-text" class="text">${linkify(shown).map((piece) =>
        'href' in piece ? html`<a part="message-link" href=${piece.href} target="_blank" rel="noopener noreferrer nofollow">${piece.text}</a>` : piece.text,
      )}</p>
      ${long
        ? html`<button part="show-more-button" class="show-more" @click=${() => this.toggleExpanded(item.key)}>${expanded ? s.showLess : s.showMore}</button>`
        : nothing}`;
  };

  private get bodyHost(): BodyHost {
    return {
      strings: this.strings,
      locale: this.resolvedLocale,
      text: this.renderText,
      openImage: (url, trigger) => this.openImage(url, trigger),
      go: (route) => this.navigate(route),
      feedbackOf: (id) => this.feedback.get(id),
      sendFeedback: (id, helpful) => this.sendFeedback(id, helpful),
    };
  }

  /**
   * A day separator: a row of the window (measured and scrolled like a message) but hidden from
   * screen readers, so the list's items and their aria-posinset/setsize stay the messages alone
   * (axe refuses a separator role directly in an <ol>). Screen readers have the day from each
   * message's time, which carries the date for any day but today.
   */
  private renderDay(dayStart: number, now: number) {
    return html`<li part="day-separator" class="day-separator" aria-hidden="true">${dayLabel(dayStart, this.resolvedLocale, this.strings, now)}</li>`;
  }

  private renderItem(item: TimelineItem, index: number, size: number, host: BodyHost, now: number) {
    const s = this.strings;
    const role = item.author.role;
    const isLast = index === size - 1;
    const suggestions = isLast && role === 'bot' && item.body.kind === 'text' ? item.body.suggestions ?? [] : [];
    const bare = item.body.kind === 'order-card' || item.body.kind === 'product-card' || item.body.kind === 'image';
    // Only a window of the rows is in the DOM: position and size tell screen readers where this one is.
    return html`<li part="message message-${role}" class="message ${role}" aria-posinset=${index + 1} aria-setsize=${size}>
      <span part="message-author" class="author">${this.authorName(item.author)}</span>
      <div part="message-bubble" class="bubble ${bare ? 'bare' : ''}">${renderBody(item, host)}</div>
      ${suggestions.length > 0
        ? html`<ul part="suggestions" class="suggestions" aria-label=${s.suggestionsLabel}>
            ${suggestions.map(
              (suggestion) =>
                html`<li><button part="suggestion" class="suggestion" @click=${() => this.onSuggestion(suggestion)}>${suggestion.label}</button></li>`,
            )}
          </ul>`
        : nothing}
      <div part="message-meta" class="meta">
        <time part="message-time" datetime=${new Date(item.createdAt).toISOString()}>${formatTime(item.createdAt, this.resolvedLocale, now)}</time>
        ${this.renderDelivery(item)}
      </div>
    </li>`;
  }

  private renderDelivery(item: TimelineItem) {
    const s = this.strings;
    switch (item.delivery) {
      case undefined:
        return nothing;
      case 'sending':
        return html`<span part="message-status" class="status">${s.sending}</span>`;
      case 'sent':
        return html`<span part="message-status" class="status">${s.sent}</span>`;
      case 'failed':
        return html`<span part="message-status" class="status failed">${s.notSent}</span>
          <button part="resend-button" class="resend" @click=${() => this.client?.retry(item.key)}>${s.resend}</button>
          <button part="discard-button" class="resend discard" @click=${() => this.client?.discard(item.key)}>${s.discard}</button>`;
    }
  }

  /** The satisfaction card, once an agent session with an id has ended (thanks once rated). */
  private renderRating() {
    const routing = this.routing.value;
    const sessionId = routing.phase === 'ended' || routing.phase === 'rated' ? routing.sessionId : undefined;
    if (!sessionId) return nothing;
    showLazily('xiaoer-rating');
    return html`<li class="message card-row">
      <xiaoer-rating part="rating" exportparts="stars, star, tags, thanks" .client=${this.client} session-id=${sessionId} locale=${this.resolvedLocale}></xiaoer-rating>
    </li>`;
  }

  /** Asks for the page before the first message once the buyer reaches the top of what is held. */
  private loadOlderAtTop(): void {
    const client = this.client;
    const connection = this.connection.value;
    if (!client || !this.open || this.views.length > 0 || this.older !== 'idle' || this.historyStart.value) return;
    if (connection.status !== 'online' || !this.rows.showsFirst) return;
    // Not in this update's own updated(): a state change there renders again at once (Lit warns).
    void Promise.resolve().then(() => this.startLoadingOlder(client));
  }

  private startLoadingOlder(client: XiaoerClient): void {
    if (this.older !== 'idle' || client !== this.client) return;
    this.older = 'loading';
    client.loadOlder().then(
      () => {
        this.older = 'idle';
      },
      () => {
        this.older = 'failed';
        this.olderFailedIn = this.connection.value;
      },
    );
  }

  private readonly retryOlder = () => {
    this.older = 'idle';
    this.olderFailedIn = null;
  };

  /** The composer's photos waiting for Send: thumbnails (getting ready, then ready) with Remove. */
  private renderPendingPhotos() {
    const photos = this.pendingPhotos.items;
    if (photos.length === 0) return nothing;
    const s = this.strings.media;
    return html`<ul part="pending-photos" class="pending-photos" aria-label=${s.pendingPhotos}>
      ${repeat(
        photos,
        (photo) => photo.key,
        (photo, i) => html`<li part="pending-photo" class="pending-photo ${photo.prepared ? '' : 'preparing'}">
          <img src=${photo.preview} alt=${photo.prepared ? s.pendingPhoto(i + 1) : s.preparingPhoto(i + 1)} />
          <button part="pending-photo-remove" class="icon-button remove-photo" aria-label=${s.removePhoto(i + 1)} @click=${() => this.removePendingPhoto(photo.key, i)}>
            ${closeIcon}
          </button>
        </li>`,
      )}
    </ul>`;
  }

  /** Removes a photo and keeps the keyboard in the row: on the next photo's Remove, or the box. */
  private removePendingPhoto(key: number, index: number): void {
    this.pendingPhotos.remove(key);
    this.composerError = null;
    void this.updateComplete.then(() => {
      const buttons = this.renderRoot.querySelectorAll<HTMLButtonElement>('.remove-photo');
      (buttons[Math.min(index, buttons.length - 1)] ?? this.input)?.focus();
    });
  }

  /** Above the first row: earlier messages loading, or a failed load with Try again. */
  private renderOlder() {
    const s = this.strings;
    if (this.historyStart.value || this.older === 'idle') return nothing;
    return this.older === 'loading'
      ? html`<p part="older-status" class="older" role="status">${s.olderLoading}</p>`
      : html`<p part="older-status" class="older" role="status">
          ${s.olderFailed} <button part="older-retry" class="show-more older-retry" @click=${this.retryOlder}>${s.olderRetry}</button>
        </p>`;
  }

  private renderChat() {
    const s = this.strings;
    const items = this.timeline.value;
    const typing = this.typingText();
    const error = this.errorText(this.composerError);
    const disabled = !this.client;
    const phase = this.routing.value.phase;
    const host = this.bodyHost;
    const now = Date.now();
    const rows = this.rows.render(
      this.rowsOf(items),
      (row) => (row.kind === 'day' ? this.renderDay(row.dayStart, now) : this.renderItem(row.item, row.index, items.length, host, now)),
      this.renderRating(),
    );
    const newBelow = this.newBelow;
    // The log announces new messages (politely), but not the rows the window brings in as the buyer
    // scrolls: those renders turn it off. Focusable, so the keyboard can scroll it.
    return html`<div
        part="messages"
        class="messages"
        role="log"
        aria-live=${this.rows.live ? 'polite' : 'off'}
        aria-label=${s.messagesLabel}
        tabindex="0"
        @scroll=${this.rows.onScroll}
        @keydown=${this.rows.onKeydown}
      >
        ${this.renderOlder()}${rows}
      </div>
      <div class="jump-wrap">
        ${newBelow > 0 ? html`<button part="jump-button" class="jump" @click=${this.jumpToLatest}>${s.newMessages(newBelow)}</button>` : nothing}
      </div>
      <div class="visually-hidden" role="status">${this.newBelowNotice || nothing}</div>
      <div part="typing" class="typing" role="status">${typing || nothing}</div>
      <div part="composer" class="composer" @dragover=${this.onDragOver} @drop=${this.onDrop}>
        ${this.renderPendingPhotos()}
        <button part="photo-button" class="icon-button photo-button" aria-label=${s.nav.sendPhoto} ?disabled=${disabled} @click=${() => this.photoInput?.click()}>
          ${photoIcon}
        </button>
        <div class="emoji-wrap" @focusout=${this.onEmojiFocusOut} @xiaoer-emoji-pick=${this.onEmojiPick} @xiaoer-emoji-close=${() => this.closeEmoji(true)}>
          <button
            part="emoji-button"
            class="icon-button emoji-button"
            aria-label=${s.media.emoji}
            aria-expanded=${this.emojiOpen ? 'true' : 'false'}
            aria-controls="emoji-popover"
            ?disabled=${disabled}
            @click=${this.toggleEmoji}
          >
            ${emojiIcon}
          </button>
          <div part="emoji-popover" class="emoji-popover" id="emoji-popover" ?hidden=${!this.emojiOpen}>
            ${this.emojiOpen ? html`<xiaoer-emoji-picker exportparts="grid: emoji-grid, emoji" locale=${this.resolvedLocale}></xiaoer-emoji-picker>` : nothing}
          </div>
        </div>
        <input class="photo-input" type="file" accept=${PHOTO_ACCEPT} multiple hidden tabindex="-1" @change=${this.onPhotoPicked} />
        <textarea
          part="input"
          class="input"
          rows="1"
          aria-label=${s.composerLabel}
          placeholder=${s.composerPlaceholder}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby="composer-error"
          ?disabled=${disabled}
          @keydown=${this.onInputKeydown}
          @input=${this.onInput}
          @paste=${this.onPaste}
        ></textarea>
        <button part="send-button" class="send" ?disabled=${disabled} @click=${this.onSendClick}>${s.send}</button>
        <p part="composer-error" class="error" id="composer-error" role="alert">${error || nothing}</p>
      </div>
      <ul part="quick-actions" class="quick-actions" aria-label=${s.nav.quickActions}>
        <li><button part="quick-action" class="quick-action" @click=${() => this.navigate({ view: 'orders' })}>${s.nav.myOrders}</button></li>
        <li><button part="quick-action" class="quick-action" @click=${() => this.navigate({ view: 'cases' })}>${s.nav.returns}</button></li>
        <li><button part="quick-action" class="quick-action" @click=${() => this.navigate({ view: 'help' })}>${s.nav.helpCenter}</button></li>
        ${phase === 'queued' || phase === 'agent'
          ? nothing
          : html`<li>
              <button part="quick-action" class="quick-action" ?disabled=${this.routingPending.value || disabled} @click=${this.talkToPerson}>${s.talkToPerson}</button>
            </li>`}
      </ul>`;
  }

  private renderView(view: PanelView) {
    const client = this.client;
    const locale = this.resolvedLocale;
    showLazily(VIEW_ELEMENTS[view.view]);
    switch (view.view) {
      case 'orders':
        return html`<xiaoer-order-list part="view-content order-list" .client=${client} locale=${locale}></xiaoer-order-list>`;
      case 'order':
        return html`<xiaoer-order-detail part="view-content order-detail" .client=${client} locale=${locale} order-id=${view.orderId}></xiaoer-order-detail>`;
      case 'after-sales':
        return html`<xiaoer-after-sales-form part="view-content after-sales-form" .client=${client} locale=${locale} order-id=${view.orderId}></xiaoer-after-sales-form>`;
      case 'cases':
        return html`<xiaoer-case-list part="view-content case-list" .client=${client} locale=${locale}></xiaoer-case-list>`;
      case 'case':
        return html`<xiaoer-case-detail part="view-content case-detail" .client=${client} locale=${locale} case-id=${view.caseId}></xiaoer-case-detail>`;
      case 'help':
        return html`<xiaoer-help-center part="view-content help-center" .client=${client} locale=${locale}></xiaoer-help-center>`;
      case 'leave-message':
        return html`<xiaoer-leave-message part="view-content leave-message" .client=${client} locale=${locale}></xiaoer-leave-message>`;
      case 'complaint':
        return html`<xiaoer-complaint-form part="view-content complaint-form" .client=${client} locale=${locale} order-id=${view.orderId ?? ''}></xiaoer-complaint-form>`;
    }
  }

  override render() {
    const s = this.strings;
    const unread = this.unread;
    const banner = this.bannerText();
    const top = this.views[this.views.length - 1];
    // lang on our own regions, so a screen reader voices the widget's strings in their language
    // even when the page is in another one.
    const lang = this.resolvedLocale;
    return html`
      <button
        part="launcher"
        class="launcher"
        lang=${lang}
        aria-label=${this.open ? s.closeChat : s.openChat}
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        aria-describedby=${unread > 0 ? 'unread' : nothing}
        @click=${this.onLauncherClick}
      >
        ${this.open ? closeIcon : chatIcon}
        ${unread > 0
          ? // The count is drawn from data-count by CSS, so the button's only text is its name (WCAG 2.5.3, label in name);
            // screen readers hear the count through aria-describedby.
            html`<span part="badge" class="badge" aria-hidden="true" data-count=${unread > 99 ? '99+' : String(unread)}></span>`
          : nothing}
      </button>
      ${unread > 0 ? html`<span id="unread" hidden>${s.unread(unread)}</span>` : nothing}
      <section
        part="panel"
        class="panel"
        id="panel"
        lang=${lang}
        role="dialog"
        aria-label=${s.panelLabel}
        ?hidden=${!this.open}
        @keydown=${this.onPanelKeydown}
        @xiaoer-navigate=${this.onNavigate}
      >
        <header part="header" class="header">
          <h2 part="title" class="title" aria-live="polite">${this.headerTitle(this.routing.value)}</h2>
          ${this.renderHandoff()} ${this.renderMenu()}
          <button part="close-button" class="icon-button close-button" aria-label=${s.minimizeChat} @click=${this.hide}>${minimizeIcon}</button>
        </header>
        <div part="banner" class="banner" role="status">${banner || nothing}</div>
        ${top
          ? html`<div part="view" class="view">
              <div class="view-bar">
                <button part="back-button" class="back" @click=${this.back}><span aria-hidden="true">‹</span> ${s.nav.back}</button>
              </div>
              <div class="view-body">${this.renderView(top)}</div>
            </div>`
          : this.renderChat()}
        <dialog part="image-viewer" class="viewer" aria-label=${s.media.viewerLabel} @close=${this.onViewerClosed}>
          ${this.viewer
            ? html`<button class="viewer-close" autofocus @click=${() => this.viewerDialog?.close()}>${s.media.closePhoto}</button>
                <img class="viewer-image" src=${this.viewer.url} alt=${s.media.photo} />`
            : nothing}
        </dialog>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-chat': XiaoerChat;
  }
}

/** A handoff request or cancellation is waiting for the server: its button would only queue a duplicate. */
function isRoutingCommandPending(state: ClientState): boolean {
  return state.outbox.some((e) => e.state !== 'failed' && (e.command.type === 'handoff.request' || e.command.type === 'handoff.cancel'));
}

function sameHistory(a: ClientState, b: ClientState): boolean {
  return a.messages === b.messages && a.conversationId === b.conversationId && a.hydrated === b.hydrated;
}

function webSocketUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null; // not a URL at all: reported by the caller
  }
  return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : null;
}

/** What the composer says about a refused or failed send; `text` when it was a text message. */
function describeSendError(error: unknown, text?: string): ComposerError {
  if (XiaoerError.isInstance(error) && error.code === 'refused') {
    // The client decides; the reason is looked up again only to say it in the buyer's language.
    const parsed = text === undefined ? null : textBody(text);
    if (parsed && !parsed.ok) return { kind: parsed.reason === 'empty' ? 'empty' : 'too-long' };
    return { kind: 'refused', message: error.message };
  }
  console.error('[xiaoer]', error);
  return { kind: 'generic' };
}

/** Cuts at the display limit without splitting a surrogate pair, and marks the cut. */
function clip(text: string): string {
  let end = DISPLAY_CLIP_LENGTH;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

const chatIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>`;
const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M6 6l12 12M18 6L6 18"/></svg>`;
const moreIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="5" cy="12" r="1.5"/><circle cx="12" cy="12" r="1.5"/><circle cx="19" cy="12" r="1.5"/></svg>`;
const emojiIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="9"/><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0"/><path d="M9 9.5h.01M15 9.5h.01"/></svg>`;
const photoIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h3l2-3h6l2 3h3v13H4z"/><circle cx="12" cy="13" r="3.5"/></svg>`;
const minimizeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M6 9l6 6 6-6"/></svg>`;
