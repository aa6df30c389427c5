import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CASE_LIMITS, acceptedEvents, nextDeadline, type AfterSalesCase, type BuyerCaseEvent, type CaseEventType } from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';
import { StoreController } from '../../controllers/store-controller.js';
import { isoTime, newestFirst, timeLeft } from '../../internal/format.js';

/** The events a buyer may send about their own case. */
const BUYER_EVENTS: readonly CaseEventType[] = ['ship-return', 'confirm-replacement', 'escalate', 'withdraw'];
const TRACKING = /^[A-Za-z0-9-]{4,40}$/;

type Mode = 'view' | 'ship' | 'confirm-withdraw';

/**
 * @summary One after-sales case: its state, the deadline it is running against (with time left),
 * what was asked for and refunded, the timeline, and only the moves the case machine accepts from
 * the buyer now (core `acceptedEvents`): ship the return (carrier and tracking number), withdraw
 * (after a confirmation and a cancellable event), escalate a rejection to the platform, confirm a
 * replacement arrived.
 *
 * Loads the buyer's cases (`client.loadCases()`) when this one is not known yet; re-renders every
 * minute so time left stays true.
 *
 * @event {XiaoerRequestWithdrawCaseEvent} xiaoer-request-withdraw-case - The buyer confirmed "Withdraw"; cancellable.
 * @event {XiaoerNavigateEvent} xiaoer-navigate - "View order".
 *
 * @csspart state - The state line.
 * @csspart deadline - The running deadline and time left.
 * @csspart timeline - The case timeline (`<ol>`, newest first).
 * @csspart actions - The buyer's moves.
 * @csspart ship-form - The return-shipment form.
 *
 * @cssproperty [--xiaoer-color-primary=#c2410c] - Primary buttons, the newest timeline entry.
 */
export class XiaoerCaseDetail extends XiaoerView {
  private readonly cases = new StoreController(this, () => this.client, (s) => s.cases);
  private readonly orders = new StoreController(this, () => this.client, (s) => s.orders);
  private readonly online = new StoreController(this, () => this.client, (s) => s.connection.status === 'online');

  /** The case to show. */
  @property({ attribute: 'case-id' }) caseId = '';

  @state() private mode: Mode = 'view';
  @state() private carrier = '';
  @state() private tracking = '';
  @state() private fieldErrors: { carrier?: string; tracking?: string } = {};
  @state() private busy = false;
  @state() private error = '';
  @state() private done = '';
  @state() private loadError: unknown = null;
  /** The case a load was started for, successful or not: a failure is retried by hand or on reconnection, never in a loop. */
  private loadedFor: string | null = null;
  private wasOnline = false;
  private orderLoadedFor: string | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = setInterval(() => this.requestUpdate(), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('caseId')) {
      this.mode = 'view';
      this.error = this.done = '';
    }
    const online = this.online.value;
    if (online && !this.wasOnline && this.loadError) this.loadedFor = null; // back online: try again
    this.wasOnline = online;
    if (!this.current && this.client && online && this.loadedFor !== this.caseId) void this.load();
    // The order gives the lines their titles; a case opened from the case list may not have it yet.
    const orderId = this.current?.orderId;
    if (orderId && !this.orders.value[orderId] && this.client && this.online.value && this.orderLoadedFor !== orderId) {
      this.orderLoadedFor = orderId;
      this.client.loadOrder(orderId).catch(() => {}); // titles fall back to line ids; nothing else depends on it
    }
  }

  private async load(): Promise<void> {
    this.loadedFor = this.caseId;
    this.loadError = null;
    try {
      await this.client?.loadCases();
    } catch (error) {
      this.loadError = error;
    }
  }

  private get current(): AfterSalesCase | undefined {
    return this.cases.value[this.caseId];
  }

  private async act(event: BuyerCaseEvent, done: string): Promise<void> {
    const client = this.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.error = this.done = '';
    try {
      const receipt = await client.actOnCase(this.caseId, event);
      await receipt.settled;
      this.mode = 'view';
      this.done = done;
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = false;
    }
  }

  private shipReturn(event: Event): void {
    event.preventDefault();
    const s = this.strings.cases;
    const carrier = this.carrier.trim();
    const tracking = this.tracking.normalize('NFKC').replace(/\s/g, '');
    const errors: { carrier?: string; tracking?: string } = {};
    if (!carrier) errors.carrier = s.carrierRequired;
    else if (carrier.length > CASE_LIMITS.carrier) errors.carrier = this.strings.address.tooLong(CASE_LIMITS.carrier);
    if (!tracking) errors.tracking = s.trackingRequired;
    else if (!TRACKING.test(tracking)) errors.tracking = s.trackingInvalid;
    this.fieldErrors = errors;
    if (errors.carrier || errors.tracking) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    void this.act({ type: 'ship-return', carrier, trackingNumber: tracking }, s.shipped);
  }

  private withdraw(): void {
    const request = this.emit('xiaoer-request-withdraw-case', { caseId: this.caseId });
    if (request.defaultPrevented) {
      this.mode = 'view';
      return;
    }
    void this.act({ type: 'withdraw' }, this.strings.cases.withdrawn);
  }

  private renderDeadline(c: AfterSalesCase) {
    const s = this.strings.cases;
    const deadline = nextDeadline(c);
    if (!deadline) return nothing;
    const left = timeLeft(deadline.at, Date.now());
    const leftText = left.unit === 'days' ? s.daysLeft(left.count) : left.unit === 'hours' ? s.hoursLeft(left.count) : s[left.unit === 'soon' ? 'lessThanHour' : 'deadlinePassed'];
    return html`<div part="deadline" class="notice">
      <p>${s.deadlines[deadline.kind]}<time datetime=${isoTime(deadline.at)}>${this.dateTime(deadline.at)}</time></p>
      <p><strong>${leftText}</strong></p>
    </div>`;
  }

  private renderActions(c: AfterSalesCase) {
    const s = this.strings.cases;
    const allowed = acceptedEvents(c, Date.now()).filter((t) => BUYER_EVENTS.includes(t));
    if (this.mode === 'ship') {
      return html`<form part="ship-form" novalidate aria-labelledby="ship-title" @submit=${this.shipReturn}>
        <h4 id="ship-title">${s.shipTitle}</h4>
        ${field({ id: 'carrier', label: s.carrier, value: this.carrier, error: this.fieldErrors.carrier, required: true, onInput: (v) => (this.carrier = v) })}
        ${field({ id: 'tracking', label: s.trackingNumber, value: this.tracking, error: this.fieldErrors.tracking, required: true, onInput: (v) => (this.tracking = v) })}
        <p class="error" role="alert">${this.error || nothing}</p>
        <div class="row">
          <button class="btn primary" type="submit" ?disabled=${this.busy}>${s.submitShipment}</button>
          <button class="btn" type="button" ?disabled=${this.busy} @click=${() => (this.mode = 'view')}>${s.notNow}</button>
        </div>
      </form>`;
    }
    if (this.mode === 'confirm-withdraw') {
      return html`<div part="actions" class="notice stack" role="group" aria-labelledby="withdraw-q">
        <p id="withdraw-q"><strong>${s.withdrawQuestion}</strong></p>
        <p class="error" role="alert">${this.error || nothing}</p>
        <div class="row">
          <button class="btn primary" ?disabled=${this.busy} @click=${this.withdraw}>${s.confirmWithdraw}</button>
          <button class="btn" ?disabled=${this.busy} @click=${() => (this.mode = 'view')}>${s.keepRequest}</button>
        </div>
      </div>`;
    }
    if (allowed.length === 0) return html`<p class="error" role="alert">${this.error || nothing}</p>`;
    return html`<div part="actions" class="actions">
        ${allowed.includes('ship-return') ? html`<button class="btn primary" @click=${() => ((this.mode = 'ship'), (this.error = ''))}>${s.shipReturn}</button>` : nothing}
        ${allowed.includes('confirm-replacement')
          ? html`<button class="btn primary" ?disabled=${this.busy} @click=${() => this.act({ type: 'confirm-replacement' }, s.confirmed)}>${s.confirmReplacement}</button>`
          : nothing}
        ${allowed.includes('escalate') ? html`<button class="btn" ?disabled=${this.busy} @click=${() => this.act({ type: 'escalate' }, s.escalated)}>${s.escalate}</button>` : nothing}
        ${allowed.includes('withdraw') ? html`<button class="btn danger" @click=${() => ((this.mode = 'confirm-withdraw'), (this.error = ''))}>${s.withdraw}</button>` : nothing}
      </div>
      <p class="error" role="alert">${this.error || nothing}</p>`;
  }

  override render() {
    const s = this.strings;
    const c = this.current;
    if (!c) {
      return html`<h3 class="heading" tabindex="-1">${s.cases.caseLabel(this.caseId)}</h3>
        ${this.loadError
          ? html`<div class="notice stack" role="alert"><p>${this.problem(this.loadError)}</p><button class="btn" @click=${this.load}>${s.common.retry}</button></div>`
          : html`<p role="status">${this.online.value ? s.common.loading : s.common.offlineLoad}</p>`}`;
    }
    const order = this.orders.value[c.orderId];
    const titleOf = (lineId: string) => order?.items.find((i) => i.lineId === lineId)?.title ?? lineId;
    const timeline = newestFirst(c.timeline);
    return html`<h3 class="heading" tabindex="-1">${s.afterSales.types[c.type]}</h3>
      <p part="state" class="state">
        <span class="muted">${s.cases.stateLabel}</span>
        <strong>${s.cases.states[c.state]}</strong>${c.state === 'closed' && c.outcome ? html` · ${s.cases.outcomes[c.outcome]}` : nothing}
      </p>
      <p class="ok" role="status">${this.done || nothing}</p>
      ${this.renderDeadline(c)}
      ${c.rejection ? html`<p class="notice">${s.cases.rejectedBecause}${c.rejection.reason}</p>` : nothing}
      ${this.renderActions(c)}
      <h4>${s.cases.requestHeading}</h4>
      <dl class="facts">
        <dt>${s.cases.caseNumber}</dt><dd>${c.id}</dd>
        <dt>${s.cases.order}</dt><dd><button class="link" @click=${() => this.go({ view: 'order', orderId: c.orderId })}>${c.orderId}</button></dd>
        <dt>${s.afterSales.reason}</dt><dd>${s.afterSales.reasons[c.request.reason]}</dd>
        <dt>${s.afterSales.items}</dt><dd>${c.request.lines.map((l) => `${titleOf(l.lineId)} × ${l.quantity}`).join(', ')}</dd>
        ${c.type === 'exchange' ? nothing : html`<dt>${s.cases.requested}</dt><dd>${this.money(c.request.amount)}</dd>`}
        ${c.refund
          ? html`<dt>${s.cases.refund}</dt><dd>${s.cases.refundPaid(this.money(c.refund.amount), this.dateTime(c.refund.paidAt))}${c.refund.fast ? html` · ${s.cases.fast}` : nothing}</dd>`
          : c.type !== 'exchange' && c.fastRefundEligible
            ? html`<dt>${s.cases.refund}</dt><dd>${s.cases.fastPromise}</dd>`
            : nothing}
        ${c.returnPostagePayer ? html`<dt>${s.cases.postage}</dt><dd>${s.afterSales.payers[c.returnPostagePayer]}</dd>` : nothing}
        ${c.returnShipment ? html`<dt>${s.cases.returnParcel}</dt><dd>${c.returnShipment.carrier} ${c.returnShipment.trackingNumber}</dd>` : nothing}
        ${c.replacementShipment ? html`<dt>${s.cases.replacementParcel}</dt><dd>${c.replacementShipment.carrier} ${c.replacementShipment.trackingNumber}</dd>` : nothing}
        ${c.request.description ? html`<dt>${s.afterSales.description}</dt><dd class="pre">${c.request.description}</dd>` : nothing}
      </dl>
      <h4>${s.cases.timelineHeading}</h4>
      <ol part="timeline" class="timeline" aria-label=${s.cases.timelineLabel}>
        ${timeline.map(
          (entry) => html`<li>
            <p>${s.cases.timeline[entry.type]} <span class="muted">· ${s.cases.actors[entry.by]}</span></p>
            ${entry.note ? html`<p class="pre">${entry.note}</p>` : nothing}
            <p class="muted"><time datetime=${isoTime(entry.at)}>${this.dateTime(entry.at)}</time></p>
          </li>`,
        )}
      </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-case-detail': XiaoerCaseDetail;
  }
}
