import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  XiaoerError,
  canCancel,
  canChangeAddress,
  eligibility,
  validateAddress,
  type Address,
  type AfterSalesCase,
  type Order,
} from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';
import { StoreController } from '../../controllers/store-controller.js';
import { isoTime, newestFirst } from '../../internal/format.js';
import { safeUrl } from '../../internal/safe-url.js';

type AddressField = keyof Address;
const ADDRESS_FIELDS: readonly AddressField[] = ['name', 'phone', 'region', 'line1', 'line2', 'postalCode'];
const AUTOCOMPLETE: Record<AddressField, string> = {
  name: 'shipping name',
  phone: 'shipping tel',
  region: 'shipping address-level1',
  line1: 'shipping address-line1',
  line2: 'shipping address-line2',
  postalCode: 'shipping postal-code',
};

type Mode = 'view' | 'address' | 'confirm-cancel';

/**
 * @summary One order: items, totals, address, the logistics timeline, and what the buyer may do
 * with it — change the address and cancel (only before it ships, by core's rules), send it into the
 * chat, apply for after-sales (when the order qualifies).
 *
 * Loads the order with its logistics (`client.loadOrder`) when shown; renders what the client
 * already knows meanwhile.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - To the chat after "Send to chat", the after-sales form, or a case.
 * @event {XiaoerRequestCancelOrderEvent} xiaoer-request-cancel-order - The buyer confirmed "Cancel order"; cancellable.
 *
 * @csspart items - The list of items.
 * @csspart logistics - The logistics section.
 * @csspart timeline - The logistics timeline (`<ol>`, newest first).
 * @csspart address - The shipping address.
 * @csspart address-form - The change-address form.
 * @csspart actions - The order's action buttons.
 *
 * @cssproperty [--xiaoer-color-primary=#c2410c] - Primary buttons, the newest logistics event.
 */
export class XiaoerOrderDetail extends XiaoerView {
  private readonly orders = new StoreController(this, () => this.client, (s) => s.orders);
  private readonly cases = new StoreController(this, () => this.client, (s) => s.cases);
  private readonly online = new StoreController(this, () => this.client, (s) => s.connection.status === 'online');

  /** The order to show. */
  @property({ attribute: 'order-id' }) orderId = '';

  @state() private mode: Mode = 'view';
  @state() private draft: Record<AddressField, string> = blankDraft();
  @state() private fieldErrors: Partial<Record<AddressField, string>> = {};
  @state() private busy = false;
  @state() private error = '';
  @state() private done = '';
  @state() private loadError: unknown = null;
  /** The order a load was started for, successful or not: a failure is retried by hand or on reconnection, never in a loop. */
  private loadedFor: string | null = null;
  private wasOnline = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('orderId')) {
      this.mode = 'view';
      this.error = this.done = '';
      this.loadError = null;
    }
    const online = this.online.value;
    if (online && !this.wasOnline && this.loadError) this.loadedFor = null; // back online: try again
    this.wasOnline = online;
    if (this.client && online && this.orderId && this.loadedFor !== this.orderId) void this.load();
  }

  private async load(): Promise<void> {
    this.loadedFor = this.orderId;
    this.loadError = null;
    try {
      await this.client?.loadOrder(this.orderId);
    } catch (error) {
      this.loadError = error;
    }
  }

  private get order(): Order | undefined {
    return this.orders.value[this.orderId];
  }

  // ---------------------------------------------------------------- change address

  private openAddressForm(order: Order): void {
    const a = order.address;
    this.draft = { name: a.name, phone: a.phone, region: a.region, line1: a.line1, line2: a.line2 ?? '', postalCode: a.postalCode ?? '' };
    this.fieldErrors = {};
    this.error = this.done = '';
    this.mode = 'address';
  }

  private addressError(code: string, max?: number): string {
    const s = this.strings.address;
    if (code === 'required') return s.required;
    if (code === 'too-long') return s.tooLong(max ?? 0);
    if (code === 'invalid-phone') return s.invalidPhone;
    return s.invalid;
  }

  private async saveAddress(event: Event): Promise<void> {
    event.preventDefault();
    const client = this.client;
    if (!client || this.busy) return;
    const checked = validateAddress(this.draft as Address);
    if (!checked.ok) {
      this.fieldErrors = Object.fromEntries(checked.errors.map((e) => [e.field, this.addressError(e.code, e.max)]));
      this.error = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.fieldErrors = {};
    this.error = '';
    this.busy = true;
    try {
      const receipt = await client.changeAddress(this.orderId, checked.value);
      await receipt.settled;
      this.mode = 'view';
      this.done = this.strings.address.saved;
    } catch (error) {
      this.error = this.problem(error);
      // A server refusal may name fields ("phone"/"address.phone"): show them where they belong.
      if (XiaoerError.isInstance(error) && error.fields) {
        const byField: Partial<Record<AddressField, string>> = {};
        for (const f of error.fields) {
          const name = f.path.split('.').pop() as AddressField;
          if (ADDRESS_FIELDS.includes(name)) byField[name] = this.addressError(f.code);
        }
        this.fieldErrors = byField;
      }
    } finally {
      this.busy = false;
    }
  }

  // ---------------------------------------------------------------- cancel

  private async confirmCancel(): Promise<void> {
    const client = this.client;
    if (!client || this.busy) return;
    const request = this.emit('xiaoer-request-cancel-order', { orderId: this.orderId });
    if (request.defaultPrevented) {
      this.mode = 'view';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const receipt = await client.cancelOrder(this.orderId);
      await receipt.settled;
      this.mode = 'view';
      this.done = this.strings.orders.cancelled;
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = false;
    }
  }

  private async sendToChat(): Promise<void> {
    const client = this.client;
    if (!client || this.busy) return;
    try {
      await client.sendOrderCard(this.orderId);
      this.go({ view: 'chat' });
    } catch (error) {
      this.error = this.problem(error);
    }
  }

  // ---------------------------------------------------------------- render

  private renderItems(order: Order) {
    const s = this.strings.orders;
    return html`<ul part="items" class="plain list" aria-label=${s.itemsLabel}>
      ${order.items.map((item) => {
        const image = safeUrl(item.imageUrl);
        return html`<li class="row">
          ${image ? html`<img class="thumb" src=${image} alt="" loading="lazy" />` : nothing}
          <div class="grow">
            <p>${item.title}</p>
            <p class="muted">${s.quantity(item.quantity)} · ${this.money(item.paid)}</p>
          </div>
        </li>`;
      })}
    </ul>
    <dl class="facts">
      <dt>${s.goods}</dt><dd>${this.money(order.totals.goods)}</dd>
      <dt>${s.shipping}</dt><dd>${this.money(order.totals.shipping)}</dd>
      <dt>${s.discount}</dt><dd>−${this.money(order.totals.discount)}</dd>
      <dt>${s.paid}</dt><dd><strong>${this.money(order.totals.paid)}</strong></dd>
      ${order.refunded.amount > 0 ? html`<dt>${s.refunded}</dt><dd>${this.money(order.refunded)}</dd>` : nothing}
    </dl>`;
  }

  private renderLogistics(order: Order) {
    const s = this.strings.orders;
    const shipment = order.shipment;
    if (!shipment) return html`<p class="muted">${s.notShipped}</p>`;
    const events = newestFirst(shipment.events);
    return html`<dl class="facts">
        <dt>${s.carrier}</dt><dd>${shipment.carrier}</dd>
        <dt>${s.waybill}</dt><dd>${shipment.waybillNumber}</dd>
      </dl>
      ${events.length === 0
        ? html`<p class="muted">${s.noEvents}</p>`
        : html`<ol part="timeline" class="timeline" aria-label=${s.timelineLabel}>
            ${events.map(
              (e) => html`<li>
                <p>${e.text}</p>
                <p class="muted"><time datetime=${isoTime(e.at)}>${this.dateTime(e.at)}</time>${e.place ? html` · ${e.place}` : nothing}</p>
              </li>`,
            )}
          </ol>`}`;
  }

  private renderAddressForm() {
    const s = this.strings.address;
    const labels: Record<AddressField, string> = { name: s.name, phone: s.phone, region: s.region, line1: s.line1, line2: s.line2, postalCode: s.postalCode };
    return html`<form part="address-form" novalidate aria-labelledby="address-form-title" @submit=${this.saveAddress}>
      <h4 id="address-form-title">${s.formTitle}</h4>
      ${ADDRESS_FIELDS.map((name) =>
        field({
          id: `address-${name}`,
          label: labels[name],
          value: this.draft[name],
          error: this.fieldErrors[name],
          type: name === 'phone' ? 'tel' : 'text',
          autocomplete: AUTOCOMPLETE[name],
          required: name !== 'line2' && name !== 'postalCode',
          onInput: (value) => {
            this.draft = { ...this.draft, [name]: value };
            if (this.fieldErrors[name]) this.fieldErrors = { ...this.fieldErrors, [name]: undefined };
          },
        }),
      )}
      <p class="error" role="alert">${this.error || nothing}</p>
      <div class="row">
        <button class="btn primary" type="submit" ?disabled=${this.busy}>${this.busy ? s.saving : s.save}</button>
        <button class="btn" type="button" ?disabled=${this.busy} @click=${() => (this.mode = 'view')}>${s.keep}</button>
      </div>
    </form>`;
  }

  private renderActions(order: Order) {
    const s = this.strings.orders;
    if (this.mode === 'confirm-cancel') {
      return html`<div part="actions" class="notice stack" role="group" aria-labelledby="cancel-q">
        <p id="cancel-q"><strong>${s.cancelQuestion}</strong></p>
        <p>${order.status === 'awaiting-shipment' ? s.cancelRefundNote(this.money(order.totals.paid)) : s.cancelUnpaidNote}</p>
        <p class="error" role="alert">${this.error || nothing}</p>
        <div class="row">
          <button class="btn primary" ?disabled=${this.busy} @click=${this.confirmCancel}>${s.confirmCancel}</button>
          <button class="btn" ?disabled=${this.busy} @click=${() => (this.mode = 'view')}>${s.keepOrder}</button>
        </div>
      </div>`;
    }
    const now = Date.now();
    const canApply = Object.values(eligibility(order, now).cases).some((v) => v.allowed);
    return html`<div part="actions" class="actions">
        ${canChangeAddress(order).ok ? html`<button class="btn" @click=${() => this.openAddressForm(order)}>${s.changeAddress}</button>` : nothing}
        ${canCancel(order).ok
          ? html`<button class="btn danger" @click=${() => ((this.mode = 'confirm-cancel'), (this.error = this.done = ''))}>${s.cancelOrder}</button>`
          : nothing}
        ${canApply ? html`<button class="btn" @click=${() => this.go({ view: 'after-sales', orderId: order.id })}>${s.applyAfterSales}</button>` : nothing}
        <button class="btn primary" @click=${this.sendToChat}>${s.sendToChat}</button>
      </div>
      <p class="error" role="alert">${this.error || nothing}</p>`;
  }

  private renderCases(order: Order) {
    const s = this.strings;
    const cases = Object.values(this.cases.value).filter((c: AfterSalesCase) => c.orderId === order.id);
    if (cases.length === 0) return nothing;
    return html`<h4>${s.cases.title}</h4>
      <ul class="plain list">
        ${cases.map(
          (c) => html`<li class="spread">
            <span>${s.afterSales.types[c.type]} · <span class="badge">${s.cases.states[c.state]}</span></span>
            <button class="link" @click=${() => this.go({ view: 'case', caseId: c.id })}>${s.cases.view}</button>
          </li>`,
        )}
      </ul>`;
  }

  override render() {
    const s = this.strings;
    const order = this.order;
    const heading = html`<h3 class="heading" tabindex="-1">${s.orders.detailTitle(this.orderId)}</h3>`;
    if (!order) {
      return html`${heading}
        ${this.loadError
          ? html`<div class="notice stack" role="alert">
              <p>${this.problem(this.loadError)}</p>
              <button class="btn" @click=${this.load}>${s.common.retry}</button>
            </div>`
          : html`<p role="status">${this.online.value ? s.common.loading : s.common.offlineLoad}</p>`}`;
    }
    const a = order.address;
    return html`${heading}
      <p class="row">
        <span class="badge">${s.orders.status[order.status]}</span>
        <span class="muted">${s.orders.placedOn(this.date(order.createdAt))}</span>
      </p>
      <p class="ok" role="status">${this.done || nothing}</p>
      ${this.mode === 'address' ? this.renderAddressForm() : this.renderActions(order)}
      <h4>${s.orders.itemsLabel}</h4>
      ${this.renderItems(order)}
      <h4>${s.orders.addressHeading}</h4>
      <div part="address">
        <p>${a.name} · ${a.phone}</p>
        <p>${a.region} ${a.line1}${a.line2 ? html` ${a.line2}` : nothing}${a.postalCode ? html` · ${a.postalCode}` : nothing}</p>
      </div>
      <section part="logistics" aria-labelledby="logistics-heading">
        <h4 id="logistics-heading">${s.orders.logistics}</h4>
        ${this.renderLogistics(order)}
      </section>
      ${this.renderCases(order)}`;
  }
}

function blankDraft(): Record<AddressField, string> {
  return { name: '', phone: '', region: '', line1: '', line2: '', postalCode: '' };
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-order-detail': XiaoerOrderDetail;
  }
}
