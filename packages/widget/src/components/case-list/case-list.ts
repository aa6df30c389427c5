import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AfterSalesCase, ClientState } from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { StoreController } from '../../controllers/store-controller.js';

function selectCases(state: ClientState) {
  return { buyer: state.buyer, online: state.connection.status === 'online', cases: state.cases };
}
const sameCases = (a: ReturnType<typeof selectCases>, b: ReturnType<typeof selectCases>) => a.buyer === b.buyer && a.online === b.online && a.cases === b.cases;

/**
 * @summary The buyer's after-sales requests (returns, refunds, exchanges), newest first, each with
 * its state; and the way to start a new one (from an order). Loads them (`client.loadCases()`)
 * when shown.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - A case was chosen (`{ view: 'case', caseId }`), or "My orders".
 *
 * @csspart list - The list of cases.
 * @csspart case - One case's card.
 * @csspart state - A case's state label.
 *
 * @cssproperty [--xiaoer-card-bg=var(--xiaoer-color-surface)] - Case card background.
 */
export class XiaoerCaseList extends XiaoerView {
  private readonly data = new StoreController(this, () => this.client, selectCases, sameCases);

  @state() private loaded = false;
  @state() private loading = false;
  @state() private error: unknown = null;

  protected override willUpdate(): void {
    const { buyer, online } = this.data.value;
    if (buyer && online && !this.loaded && !this.loading && !this.error) void this.load();
  }

  private async load(): Promise<void> {
    if (!this.client) return;
    this.loading = true;
    this.error = null;
    try {
      await this.client.loadCases();
      this.loaded = true;
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  private renderCase(c: AfterSalesCase) {
    const s = this.strings;
    return html`<li part="case" class="card">
      <div class="spread">
        <button class="link" aria-describedby="case-${c.id}" @click=${() => this.go({ view: 'case', caseId: c.id })}>${s.cases.caseLabel(c.id)}</button>
        <span part="state" class="badge">${s.cases.states[c.state]}</span>
      </div>
      <p id="case-${c.id}">${s.afterSales.types[c.type]} · ${s.afterSales.reasons[c.request.reason]}${c.type === 'exchange' ? nothing : html` · ${this.money(c.request.amount)}`}</p>
      <p class="muted">${s.orders.orderLabel(c.orderId)} · ${this.date(c.createdAt)}</p>
    </li>`;
  }

  override render() {
    const s = this.strings;
    const { buyer, online, cases } = this.data.value;
    const list = Object.values(cases).sort((a, b) => b.createdAt - a.createdAt);
    let body;
    if (!buyer && list.length === 0) {
      body = online
        ? html`<div class="notice stack" role="note">
            <p><strong>${s.orders.loginTitle}</strong></p>
            <p>${s.cases.loginHint}</p>
          </div>`
        : html`<p class="notice">${s.common.offlineLoad}</p>`;
    } else if (list.length === 0) {
      body = this.error
        ? html`<div class="notice stack" role="alert"><p>${this.problem(this.error)}</p><button class="btn" @click=${this.load}>${s.common.retry}</button></div>`
        : html`<p class=${this.loaded ? 'notice' : ''} role="status">${this.loaded ? s.cases.empty : s.common.loading}</p>`;
    } else {
      body = html`<ul part="list" class="plain list" aria-label=${s.cases.listLabel}>${repeat(list, (c) => c.id, (c) => this.renderCase(c))}</ul>`;
    }
    return html`<h3 class="heading" tabindex="-1">${s.cases.title}</h3>
      ${body}
      <div class="notice stack apply">
        <p>${s.cases.howToApply}</p>
        <button class="btn" @click=${() => this.go({ view: 'orders' })}>${s.nav.myOrders}</button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-case-list': XiaoerCaseList;
  }
}
