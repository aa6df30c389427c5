import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ClientState, Order } from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { StoreController } from '../../controllers/store-controller.js';
import { safeUrl } from '../../internal/safe-url.js';

/** The selection the list renders: who is asking, whether they are connected, and the list so far. */
function selectOrders(state: ClientState) {
  return { buyer: state.buyer, online: state.connection.status === 'online', list: state.orderList, orders: state.orders };
}
const sameOrders = (a: ReturnType<typeof selectOrders>, b: ReturnType<typeof selectOrders>) =>
  a.buyer === b.buyer && a.online === b.online && a.list === b.list && a.orders === b.orders;

/**
 * @summary The buyer's orders, newest first: status, items, total, "Load more" paging. An
 * anonymous visitor is asked to log in and offered the guest look-up instead.
 *
 * Loads the first page (`client.loadOrders()`) when shown and the list is not loaded yet.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - An order was chosen: `{ view: 'order', orderId }`.
 *
 * @csspart list - The list of orders.
 * @csspart order - One order's card.
 * @csspart status - An order's status label.
 * @csspart load-more - The "Load more" button.
 *
 * @cssproperty [--xiaoer-card-bg=var(--xiaoer-color-surface)] - Order card background.
 */
export class XiaoerOrderList extends XiaoerView {
  private readonly data = new StoreController(this, () => this.client, selectOrders, sameOrders);

  @state() private loading = false;
  @state() private error: unknown = null;

  private wasOnline = false;

  protected override willUpdate(): void {
    // Runs before every render, so a change of client, buyer or connection starts the load.
    const { buyer, online, list } = this.data.value;
    if (online && !this.wasOnline) this.error = null; // back online: the next try may work
    this.wasOnline = online;
    if (buyer && online && !list.loaded && !this.loading && !this.error) void this.load(false);
  }

  private async load(more: boolean): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.loading = true;
    this.error = null;
    try {
      await client.loadOrders({ more });
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  private renderOrder(order: Order) {
    const s = this.strings.orders;
    const first = order.items[0]!;
    const count = order.items.reduce((n, i) => n + i.quantity, 0);
    const image = safeUrl(first.imageUrl);
    return html`<li part="order" class="card row">
      ${image ? html`<img class="thumb" src=${image} alt="" loading="lazy" />` : nothing}
      <div class="grow">
        <div class="spread">
          <button class="link title" aria-describedby="summary-${order.id}" @click=${() => this.go({ view: 'order', orderId: order.id })}>
            ${s.orderLabel(order.id)}
          </button>
          <span part="status" class="badge">${s.status[order.status]}</span>
        </div>
        <p id="summary-${order.id}">
          ${order.items.length > 1 ? s.itemsSummary(first.title, order.items.length - 1) : first.title} · ${s.itemCount(count)} ·
          <strong>${this.money(order.totals.paid)}</strong>
        </p>
        <p class="muted">${s.placedOn(this.date(order.createdAt))}</p>
      </div>
    </li>`;
  }

  override render() {
    const s = this.strings;
    const { buyer, online, list, orders } = this.data.value;
    const items = list.ids.flatMap((id) => (orders[id] ? [orders[id]] : []));
    let body;
    if (!buyer) {
      body = online
        ? html`<div class="notice stack" role="note">
              <p><strong>${s.orders.loginTitle}</strong></p>
              <p>${s.orders.loginHint}</p>
            </div>
            <xiaoer-guest-lookup .client=${this.client} locale=${this.resolvedLocale}></xiaoer-guest-lookup>`
        : html`<p class="notice">${s.common.offlineLoad}</p>`;
    } else if (!list.loaded) {
      body = this.error ? this.renderError() : online ? html`<p role="status">${s.common.loading}</p>` : html`<p class="notice">${s.common.offlineLoad}</p>`;
    } else if (items.length === 0) {
      body = html`<p class="notice">${s.orders.empty}</p>`;
    } else {
      body = html`<ul part="list" class="plain list" aria-label=${s.orders.listLabel}>
          ${repeat(items, (o) => o.id, (o) => this.renderOrder(o))}
        </ul>
        ${this.error ? this.renderError() : nothing}
        ${list.nextCursor && !this.error
          ? html`<div class="actions">
              <button part="load-more" class="btn" ?disabled=${this.loading} @click=${() => this.load(true)}>
                ${this.loading ? s.common.loading : s.orders.loadMore}
              </button>
            </div>`
          : nothing}`;
    }
    return html`<h3 class="heading" tabindex="-1">${s.orders.title}</h3>
      ${body}`;
  }

  private renderError() {
    const s = this.strings.common;
    const more = this.data.value.list.loaded;
    return html`<div class="notice stack" role="alert">
      <p>${this.problem(this.error)}</p>
      <button class="btn" @click=${() => this.load(more)}>${s.retry}</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-order-list': XiaoerOrderList;
  }
}
