import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

/** A row the window lays out: anything with a key that stays the same while the row lives. */
export interface Keyed {
  readonly key: string;
  /**
   * False for a row that moves when rows are added above it — a day separator goes up to the top of
   * its day when earlier messages of that day are loaded. The view is never anchored to one: it
   * anchors to the next row, which stays put.
   */
  readonly steady?: boolean;
}

/** Rows rendered beyond each edge of the view, in pixels (so a short scroll needs no render). */
const OVERSCAN = 600;
/** …and at most this many rows beyond each edge, however short they are. */
const OVERSCAN_ROWS = 12;
/** Render again once the view comes this close to an edge of what is rendered (pixels or rows). */
const MARGIN = 200;
const MARGIN_ROWS = 4;
/** The view counts as "at the newest message" this close to the bottom (pixels). */
const PIN_DISTANCE = 48;
/** Height used for the view before it has one (the panel is hidden). */
const FALLBACK_VIEW = 600;
/** Height assumed for a row not measured yet, until some are. */
const FIRST_ESTIMATE = 72;

/**
 * A windowed ("virtualised") list for a scroller the host renders: only the rows in view and an
 * overscan are in the DOM, between two spacers that stand for the rest. Row heights are measured
 * after each render and when the list resizes (images, "Show more", fonts), and cached by key;
 * rows never measured count as the average of those that were.
 *
 * The position is kept as data rather than left to the browser: either *pinned* to the newest row
 * (it stays in view as rows arrive or grow) or *anchored* to the row at the top of the view and
 * the distance into it (so rows prepended, or measured taller than estimated, above it do not move
 * what the reader sees). Native scroll anchoring is off on the scroller (`overflow-anchor: none`)
 * so the two do not both correct.
 *
 * Spacer heights live in a constructed style sheet adopted by the host's shadow root, not in style
 * attributes, so the widget keeps working under a CSP without `unsafe-inline` for styles.
 *
 * @example
 * private readonly rows = new MessageWindow(this, () => this.scroller);
 * render() { return html`<div class="scroller" @scroll=${this.rows.onScroll}>${this.rows.render(items, (item, i) => html`<li>…</li>`)}</div>`; }
 */
export class MessageWindow implements ReactiveController {
  /** Whether the view follows the newest row. True until the reader scrolls up. */
  pinned = true;
  /**
   * Whether the last render added no rows but newly arrived ones at the end: then the list may be
   * a live region. Rows the window brings in because the reader scrolled, or because it re-measured,
   * are old messages and must not be announced as new.
   */
  live = true;

  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly getScroller: () => HTMLElement | null | undefined;
  private readonly heights = new Map<string, number>();
  private measuredSum = 0;
  private estimate: number | undefined;
  private items: readonly Keyed[] = [];
  /** sizes[i]: the height counted for row i (its cached height, or the estimate). */
  private sizes = new Float64Array(0);
  /**
   * offsets[i]: top of row i below the top spacer's top (prefix sums of `sizes`). Valid below
   * `validTo`: a height change invalidates only the offsets after its row, and they are summed
   * again once, when next read (not once per measured row).
   */
  private offsets = new Float64Array(1);
  private validTo = 0;
  /** The rows changed or the estimate moved: `sizes` must be read again from the cache. */
  private stale = true;
  /** The estimate `sizes` was built with. */
  private builtEstimate = FIRST_ESTIMATE;
  /** The keys of the rows rendered last, in order (to find the row of a focused element). */
  private renderedKeys: readonly string[] = [];
  private renderedTail = false;
  private anchor: { key: string; index: number; delta: number } | null = null;
  private start = 0;
  private end = 0;
  /** What the previous render showed: its first and last keys, and whether it reached the end. */
  private shown: { first: string | undefined; last: string | undefined; toEnd: boolean } = { first: undefined, last: undefined, toEnd: true };
  /** The scroller's padding above the top spacer, as last measured. */
  private pad = 0;
  private scroller: HTMLElement | null = null;
  private observer: ResizeObserver | undefined;
  private frame = 0;
  /** Renders asked for in a row by settle() to cover the view. */
  private renders = 0;
  /**
   * The scroll position the data accounts for. A scroll event finding the scroller elsewhere is the
   * reader's; one finding it here is the echo of our own correction (scroll events come a frame
   * late, possibly after a render changed the geometry) and must not unpin or move the anchor.
   */
  private knownTop = 0;
  private readonly sheet: CSSStyleSheet | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, getScroller: () => HTMLElement | null | undefined) {
    this.host = host;
    this.getScroller = getScroller;
    if (typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      this.sheet = new CSSStyleSheet();
      this.sheet.replaceSync('.window-before{height:0}.window-after{height:0}');
    }
    host.addController(this);
  }

  hostConnected(): void {
    const root = this.host.shadowRoot;
    if (this.sheet && root && !root.adoptedStyleSheets.includes(this.sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.sheet];
  }

  hostDisconnected(): void {
    this.detach();
    cancelAnimationFrame(this.frame);
  }

  hostUpdated(): void {
    const scroller = this.getScroller() ?? null;
    if (scroller !== this.scroller) {
      this.detach();
      if (scroller) this.attach(scroller);
    }
    // The first update has no shadow root yet when hostConnected runs.
    this.hostConnected();
    if (!scroller?.clientHeight) return; // hidden: nothing to measure, nowhere to scroll
    this.measure();
    this.settle(true);
  }

  /** Follows the newest row again: scrolls to it now (rendering it first if need be). */
  scrollToEnd(): void {
    this.pinned = true;
    if (this.scroller?.clientHeight) this.settle(true);
    else this.host.requestUpdate();
  }

  /** Scrolls to the very top, the first row. */
  scrollToStart(): void {
    if (this.items.length === 0) return;
    this.pinned = false;
    const index = this.steadyFrom(0);
    this.anchor = { key: this.items[index]!.key, index, delta: -this.pad - this.offset(index) };
    this.host.requestUpdate();
  }

  /**
   * The `@keydown` listener for the scroller: Home and End jump to the first and the newest row at
   * once. (The browser's own animated scroll over thousands of rows would be cut short by the first
   * correction of the position.)
   */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.target !== this.scroller || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    if (event.key === 'Home') this.scrollToStart();
    else this.scrollToEnd();
  };

  /** The `@scroll` listener for the scroller (the reader's wheel, keys, touch or scrollbar). */
  readonly onScroll = (): void => {
    const scroller = this.scroller;
    if (!scroller?.clientHeight || Math.abs(scroller.scrollTop - this.knownTop) < 1) return;
    this.knownTop = scroller.scrollTop;
    const pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < PIN_DISTANCE;
    const changed = pinned !== this.pinned;
    this.pinned = pinned;
    const top = scroller.scrollTop - this.pad;
    const index = this.steadyFrom(this.indexAt(top));
    const key = this.items[index]?.key;
    this.anchor = key === undefined ? null : { key, index, delta: top - this.offset(index) };
    // The host shows things that depend on `pinned` ("Jump to latest"): it renders when it flips.
    if (changed || !this.covers(top, scroller.clientHeight)) this.host.requestUpdate();
  };

  /**
   * The spacers and the list of the rows in view (an `<ol class="message-list">`); `row` renders
   * one item given its index in `items`. `tail` follows the last row once it is rendered.
   */
  render<T extends Keyed>(items: readonly T[], row: (item: T, index: number) => unknown, tail: unknown = nothing) {
    this.setItems(items);
    const n = items.length;
    const scroller = this.scroller ?? this.getScroller() ?? null;
    const view = scroller?.clientHeight || FALLBACK_VIEW;
    const total = this.offset(n);
    let top: number;
    if (this.pinned) top = total - view;
    else {
      const at = this.anchorIndex();
      top = at >= 0 ? this.offset(at) + this.anchor!.delta : (scroller?.scrollTop ?? 0) - this.pad;
    }
    top = Math.max(0, Math.min(top, total - view));
    const first = this.indexAt(top);
    const last = this.indexAt(top + view);
    this.start = Math.max(this.indexAt(top - OVERSCAN), first - OVERSCAN_ROWS, 0);
    this.end = Math.min(this.indexAt(top + view + OVERSCAN) + 1, last + 1 + OVERSCAN_ROWS, n);
    this.setSpacers(this.offset(this.start), total - this.offset(this.end));
    this.live = this.onlyNewRows();
    this.keepFocus(scroller, n);
    this.renderedKeys = items.slice(this.start, this.end).map((item) => item.key);
    this.renderedTail = this.end === n && tail !== nothing;
    return html`<div class="window-before" aria-hidden="true"></div>
      <ol class="message-list">
        ${repeat(
          items.slice(this.start, this.end),
          (item) => item.key,
          (item, i) => row(item, this.start + i),
        )}${this.end === n ? tail : nothing}
      </ol>
      <div class="window-after" aria-hidden="true"></div>`;
  }

  /** Whether the first row is in the DOM (the reader is within the overscan of the top). */
  get showsFirst(): boolean {
    return this.start === 0 && this.items.length > 0;
  }

  // ---------------------------------------------------------------- internals

  private attach(scroller: HTMLElement): void {
    this.scroller = scroller;
    if (typeof ResizeObserver !== 'function') return;
    this.observer = new ResizeObserver(() => this.onResize());
    this.observer.observe(scroller);
    const list = scroller.querySelector('.message-list');
    if (list) this.observer.observe(list);
  }

  private detach(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.scroller = null;
  }

  /** A row grew or shrank after rendering (an image loaded, "Show more"), or the view resized. */
  private onResize(): void {
    if (!this.scroller?.clientHeight) return;
    this.measure();
    // Rendering from inside a ResizeObserver callback would start a resize loop: wait a frame.
    if (!this.settle(false)) {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.host.requestUpdate());
    }
  }

  private setItems(items: readonly Keyed[]): void {
    if (items !== this.items) {
      this.items = items;
      this.stale = true;
    }
    // The estimate is the average of the first rows measured, then kept: were it to follow every
    // measurement, rows far above would move as the reader scrolls down, and each move needs a
    // correction of the position that cuts short the browser's animated (keyboard, wheel) scroll.
    if (this.estimate === undefined && this.heights.size > 0) this.estimate = this.measuredSum / this.heights.size;
    const estimate = this.estimate ?? FIRST_ESTIMATE;
    if (estimate !== this.builtEstimate) this.stale = true;
    if (!this.stale) return;
    const n = items.length;
    if (this.sizes.length !== n) this.sizes = new Float64Array(n);
    if (this.offsets.length !== n + 1) this.offsets = new Float64Array(n + 1);
    const sizes = this.sizes;
    for (let i = 0; i < n; i++) sizes[i] = this.heights.get(items[i]!.key) ?? estimate;
    this.builtEstimate = estimate;
    this.validTo = 0;
    this.stale = false;
  }

  /** The top of row `i` (or the total height for `i` = the row count), summing what is out of date. */
  private offset(i: number): number {
    if (i >= this.validTo) {
      const { offsets, sizes } = this;
      const n = sizes.length;
      let k = this.validTo;
      if (k === 0) offsets[0] = 0;
      else k -= 1; // offsets[validTo - 1] is valid; sum on from there
      for (; k < n; k++) offsets[k + 1] = offsets[k]! + sizes[k]!;
      this.validTo = n + 1;
    }
    return this.offsets[i]!;
  }

  /**
   * Focus must not fall to the page when the row holding it (a Resend button, a link, a card)
   * leaves the window: it moves to the scroller, which stays, before the row is removed.
   */
  private keepFocus(scroller: HTMLElement | null, n: number): void {
    const root = this.host.shadowRoot;
    const active = root?.activeElement;
    if (!scroller || !active || active === scroller || !scroller.contains(active)) return;
    const li = active.closest('.message-list > li');
    const list = li?.parentElement;
    if (!li || !list) return;
    const at = Array.prototype.indexOf.call(list.children, li);
    const key = this.renderedKeys[at];
    let kept: boolean;
    if (key === undefined) kept = this.renderedTail && this.end === n; // the tail row
    else {
      const index = this.indexOf(key, this.start);
      kept = index >= this.start && index < this.end;
    }
    if (!kept) scroller.focus({ preventScroll: true });
  }

  /** Caches the heights of the rendered rows (margins included) and the scroller's top padding. */
  private measure(): void {
    const scroller = this.scroller!;
    const list = scroller.querySelector<HTMLElement>('.message-list');
    const before = scroller.querySelector<HTMLElement>('.window-before');
    if (!list || !before) return;
    this.pad = before.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const rows = list.children;
    const count = Math.min(this.end - this.start, rows.length);
    let changed = Infinity;
    let top = count > 0 ? rows[0]!.getBoundingClientRect().top : 0;
    for (let i = 0; i < count; i++) {
      // The list is a flow root, so its bottom includes the last row's margin.
      const next = i + 1 < rows.length ? rows[i + 1]!.getBoundingClientRect().top : list.getBoundingClientRect().bottom;
      const key = this.items[this.start + i]?.key;
      const height = next - top;
      top = next;
      if (key === undefined) continue;
      const old = this.heights.get(key);
      if (old !== undefined && Math.abs(old - height) < 0.5) continue;
      this.heights.set(key, height);
      this.measuredSum += height - (old ?? 0);
      const index = this.start + i;
      if (this.sizes[index] !== height) {
        this.sizes[index] = height;
        changed = Math.min(changed, index);
      }
    }
    // The estimate for unmeasured rows may have moved too (the first measurement sets it).
    const estimate = this.estimate;
    this.setItems(this.items);
    if (estimate === this.estimate && changed === Infinity) return;
    this.validTo = Math.min(this.validTo, changed + 1);
    this.setSpacers(this.offset(this.start), this.offset(this.items.length) - this.offset(this.end));
  }

  /**
   * Puts the view back where the data says (pinned to the end, or on the anchor row) after the
   * rows, their heights or the view changed. Asks for a render when the rendered rows do not cover
   * the view (`render`) — or returns false for the caller to do so later. True when covered.
   */
  private settle(render: boolean): boolean {
    const scroller = this.scroller!;
    const view = scroller.clientHeight;
    let target: number | undefined;
    if (this.pinned) target = scroller.scrollHeight - view;
    else {
      const at = this.anchorIndex();
      if (at >= 0) target = this.pad + this.offset(at) + this.anchor!.delta;
    }
    if (target !== undefined && Math.abs(scroller.scrollTop - target) >= 1) scroller.scrollTop = target;
    this.knownTop = scroller.scrollTop;
    const covered = this.covers(scroller.scrollTop - this.pad, view);
    // Each render measures more rows, so this settles in a render or two; the cap is a safety net.
    if (covered) this.renders = 0;
    else if (render && this.renders++ < 8) this.host.requestUpdate();
    return covered;
  }

  /**
   * Whether the rendered rows reach past both edges of the view at `top` (list coordinates) by the
   * margin. The margin is smaller than the overscan in both pixels and rows, so a render for the
   * same position always covers it: no render loop.
   */
  private covers(top: number, view: number): boolean {
    const n = this.items.length;
    const first = this.indexAt(top);
    const last = this.indexAt(top + view);
    const above = Math.max(0, Math.max(this.indexAt(top - MARGIN), first - MARGIN_ROWS));
    const below = Math.min(n, Math.min(this.indexAt(top + view + MARGIN) + 1, last + 1 + MARGIN_ROWS));
    return this.start <= above && this.end >= below;
  }

  /** Whether the rows now in the window that were not in the previous one all arrived since. */
  private onlyNewRows(): boolean {
    const { first, last, toEnd } = this.shown;
    const { start, end, items } = this;
    this.shown = { first: items[start]?.key, last: items[end - 1]?.key, toEnd: end === items.length };
    if (first === undefined || last === undefined) return toEnd; // nothing shown before: as a plain list would
    const firstAt = this.indexOf(first, start);
    const lastAt = this.indexOf(last, end - 1);
    if (firstAt < 0 || start < firstAt) return false; // rows above the old first
    // Rows past the old last are news only if the old window ended with the conversation.
    return lastAt >= 0 && (toEnd || end - 1 <= lastAt);
  }

  /** The index of `key`, looked for at `hint` first (rows rarely move). */
  private indexOf(key: string, hint: number): number {
    if (this.items[hint]?.key === key) return hint;
    return this.items.findIndex((item) => item.key === key);
  }

  /** The first row from `i` on that stays put when rows are added above (see Keyed.steady). */
  private steadyFrom(i: number): number {
    const last = this.items.length - 1;
    while (i < last && this.items[i]!.steady === false) i++;
    return i;
  }

  /** The index of the anchor row now (rows may have been added before it), or -1. */
  private anchorIndex(): number {
    const anchor = this.anchor;
    if (!anchor) return -1;
    if (this.items[anchor.index]?.key === anchor.key) return anchor.index;
    anchor.index = this.items.findIndex((item) => item.key === anchor.key);
    return anchor.index;
  }

  /** The row at `y` (list coordinates), by binary search over the offsets; clamped to the rows. */
  private indexAt(y: number): number {
    const n = this.items.length;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.offset(mid) <= y) low = mid;
      else high = mid - 1;
    }
    return Math.max(0, low);
  }

  private setSpacers(before: number, after: number): void {
    const rules = this.sheet?.cssRules;
    if (!rules) return;
    (rules[0] as CSSStyleRule).style.height = `${before}px`;
    (rules[1] as CSSStyleRule).style.height = `${after}px`;
  }
}
