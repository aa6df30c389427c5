import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  CASE_TYPES,
  MAX_DESCRIPTION_LENGTH,
  MAX_EVIDENCE_PHOTOS,
  XiaoerError,
  eligibility,
  evidenceChecklist,
  minorUnitDigits,
  orderStage,
  reasonsFor,
  refundableForLines,
  returnPostagePayer,
  validateAfterSalesRequest,
  type AfterSalesRequest,
  type CaseType,
  type Eligibility,
  type EligibilityReason,
  type FieldError,
  type Order,
  type OutboxEntry,
  type PhotoSlot,
} from '@xiaoer/core';
import { XiaoerView, ownString } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';
import { StoreController } from '../../controllers/store-controller.js';
import { formatMajorUnits, parseMajorUnits } from '../../internal/money-input.js';
import { PHOTO_ACCEPT, preparePhoto } from '../../internal/photo.js';
import { afterSalesFormStyles } from './after-sales-form.styles.js';

/** An evidence photo in the form, from the moment it is picked. */
interface PhotoEntry {
  readonly key: number;
  readonly slot: PhotoSlot;
  readonly file: Blob;
  /** An object URL for the preview; revoked when the photo is removed or the form goes away. */
  readonly preview: string;
  /** Being checked and shrunk on the device. */
  readonly preparing: boolean;
  /** The upload's id (also its outbox command id), once queued. */
  readonly photoId?: string;
  /** Why it failed on the device or was refused before upload. */
  readonly problem?: string;
}

type UploadState = 'uploading' | 'uploaded' | 'failed';

/** Where a validation problem shows. */
type ErrorPlace = 'type' | 'reason' | 'lines' | `line:${string}` | 'amount' | 'description' | 'photos' | `slot:${string}` | 'form';

let photoKeys = 0;

/**
 * @summary The after-sales application for one order. It explains first what the order qualifies
 * for (core `eligibility`: each case type with its reasons, the 7-day no-reason window with its end
 * date, excluded categories, fast refund, who pays return postage), then takes the type, items and
 * quantities, reason, amount (prefilled with the refundable amount, never more), description and
 * the evidence photos the reason's checklist asks for.
 *
 * Photos are checked (JPEG/PNG/WebP), shrunk on the device to fit the upload limit, and uploaded
 * with `client.uploadPhoto` as soon as they are picked, each showing its own state. The whole
 * request is checked with core `validateAfterSalesRequest` before `client.openCase`; once the
 * server accepts it the form navigates to the new case.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - The case was opened: `{ view: 'case', caseId, replace: true }`.
 *
 * @csspart eligibility - The explanation of what the order qualifies for.
 * @csspart form - The application form.
 * @csspart photo-slot - One evidence slot (outer box, shipping label…).
 * @csspart photo - One photo with its preview and upload state.
 * @csspart submit - The submit button.
 *
 * @cssproperty [--xiaoer-color-danger=#b91c1c] - Field errors and failed uploads.
 */
export class XiaoerAfterSalesForm extends XiaoerView {
  static override styles = [...XiaoerView.styles, afterSalesFormStyles];

  private readonly orders = new StoreController(this, () => this.client, (s) => s.orders);
  private readonly outbox = new StoreController(this, () => this.client, (s) => s.outbox);
  private readonly online = new StoreController(this, () => this.client, (s) => s.connection.status === 'online');

  /** The order the request is for. */
  @property({ attribute: 'order-id' }) orderId = '';

  @state() private type: CaseType | null = null;
  /** Chosen lines and the quantity typed for each. */
  @state() private lines: ReadonlyMap<string, string> = new Map();
  @state() private linesFor: string | null = null;
  @state() private reason = '';
  /** The amount as typed; null while the buyer has not touched it (it then follows the refundable amount). */
  @state() private amountText: string | null = null;
  @state() private description = '';
  @state() private photos: readonly PhotoEntry[] = [];
  @state() private photosNote = '';
  /** Set by the first submit: from then on every change re-validates. */
  @state() private attempted = false;
  @state() private serverErrors: readonly FieldError[] = [];
  @state() private formError = '';
  @state() private busy = false;
  /** The order a load was started for, successful or not: a failure is retried by hand or on reconnection, never in a loop. */
  private loadedFor: string | null = null;
  private wasOnline = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const photo of this.photos) URL.revokeObjectURL(photo.preview);
    this.photos = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const order = this.order;
    const online = this.online.value;
    if (online && !this.wasOnline) this.loadedFor = null; // back online: a failed load may work now
    this.wasOnline = online;
    if (!order && this.client && online && this.loadedFor !== this.orderId) this.load();
    // Every line, whole, until the buyer says otherwise.
    if (order && this.linesFor !== order.id) {
      this.linesFor = order.id;
      this.lines = new Map(order.items.map((i) => [i.lineId, String(i.quantity)]));
    }
    if (changed.has('orderId') && changed.get('orderId') !== undefined) {
      this.type = null;
      this.reason = '';
      this.amountText = null;
    }
  }

  private get order(): Order | undefined {
    return this.orders.value[this.orderId];
  }

  private load(): void {
    this.loadedFor = this.orderId;
    this.formError = '';
    this.client?.loadOrder(this.orderId).catch((error: unknown) => (this.formError = this.problem(error)));
  }

  private get digits(): number {
    return minorUnitDigits(this.order?.totals.paid.currency ?? 'CNY');
  }

  private requestLines(): { lineId: string; quantity: number }[] {
    return [...this.lines].map(([lineId, quantity]) => ({ lineId, quantity: /^\d+$/.test(quantity.trim()) ? Number(quantity.trim()) : Number.NaN }));
  }

  /** The refundable amount for the chosen lines, or null when a quantity makes it meaningless. */
  private maxAmount(order: Order) {
    return refundableForLines(order, this.requestLines());
  }

  private amountShown(order: Order): string {
    return this.amountText ?? formatMajorUnits(this.maxAmount(order).amount, this.digits);
  }

  // ---------------------------------------------------------------- photos

  private uploadState(photo: PhotoEntry, outbox: readonly OutboxEntry[]): UploadState {
    if (photo.problem) return 'failed';
    if (photo.preparing || !photo.photoId) return 'uploading';
    const entry = outbox.find((e) => e.id === photo.photoId);
    if (!entry) return 'uploaded';
    return entry.state === 'failed' ? 'failed' : 'uploading';
  }

  private patchPhoto(key: number, patch: Partial<PhotoEntry>): void {
    this.photos = this.photos.map((p) => (p.key === key ? { ...p, ...patch } : p));
  }

  private onFiles(slot: PhotoSlot, input: HTMLInputElement): void {
    const files = [...(input.files ?? [])];
    input.value = '';
    const room = MAX_EVIDENCE_PHOTOS - this.photos.length;
    this.photosNote = files.length > room ? this.strings.afterSales.photosLimit(MAX_EVIDENCE_PHOTOS) : '';
    const added = files.slice(0, Math.max(0, room)).map((file): PhotoEntry => ({ key: ++photoKeys, slot, file, preview: URL.createObjectURL(file), preparing: true }));
    this.photos = [...this.photos, ...added];
    for (const photo of added) void this.upload(photo);
  }

  private async upload(photo: PhotoEntry): Promise<void> {
    const client = this.client;
    this.patchPhoto(photo.key, { preparing: true, problem: undefined });
    try {
      const prepared = await preparePhoto(photo.file);
      if (!client) throw new XiaoerError('offline', 'no client');
      const { photoId } = await client.uploadPhoto(prepared);
      this.patchPhoto(photo.key, { preparing: false, photoId });
    } catch (error) {
      this.patchPhoto(photo.key, { preparing: false, problem: this.problem(error) });
    }
  }

  private retryPhoto(photo: PhotoEntry): void {
    // A refused or expired upload is resent under its id; a photo that failed on the device is redone.
    if (photo.photoId && !photo.problem) this.client?.retry(photo.photoId);
    else void this.upload(photo);
  }

  private removePhoto(photo: PhotoEntry): void {
    URL.revokeObjectURL(photo.preview);
    this.photos = this.photos.filter((p) => p.key !== photo.key);
    this.photosNote = '';
  }

  // ---------------------------------------------------------------- request

  private buildRequest(order: Order): { request: AfterSalesRequest; amountOk: boolean } {
    const currency = order.totals.paid.currency;
    const minor = this.type === 'exchange' ? 0 : parseMajorUnits(this.amountShown(order), this.digits);
    const outbox = this.outbox.value;
    return {
      amountOk: minor !== null,
      request: {
        type: this.type ?? ('' as CaseType),
        lines: this.requestLines(),
        reason: this.reason as AfterSalesRequest['reason'],
        amount: { amount: minor ?? 0, currency },
        description: this.description,
        photos: this.photos.filter((p) => p.photoId && this.uploadState(p, outbox) === 'uploaded').map((p) => ({ id: p.photoId!, slot: p.slot })),
      },
    };
  }

  /** Every problem of the request as it stands, by where it shows. */
  private problems(order: Order): Map<ErrorPlace, string> {
    const out = new Map<ErrorPlace, string>();
    const add = (place: ErrorPlace, text: string) => {
      if (!out.has(place)) out.set(place, text);
    };
    const { request, amountOk } = this.buildRequest(order);
    const errors: FieldError[] = [...this.serverErrors];
    if (!this.type) add('type', this.strings.afterSales.errors.typeRequired);
    else {
      const checked = validateAfterSalesRequest(order, request, Date.now());
      if (!checked.ok) errors.push(...checked.errors);
    }
    if (!amountOk) add('amount', this.strings.afterSales.errors['amount-invalid']);
    const lineIds = request.lines.map((l) => l.lineId);
    for (const e of errors) add(this.placeOf(e, lineIds), this.requestError(e));
    return out;
  }

  private placeOf(e: FieldError, lineIds: readonly string[]): ErrorPlace {
    const line = /^lines\[(\d+)\]/.exec(e.path);
    if (line) return `line:${lineIds[Number(line[1])] ?? ''}`;
    if (e.code === 'evidence-missing' && typeof e.params?.slot === 'string') return `slot:${e.params.slot}`;
    const head = e.path.split(/[.[]/)[0];
    if (head === 'type' || head === 'reason' || head === 'lines' || head === 'amount' || head === 'description' || head === 'photos') return head;
    return 'form';
  }

  private requestError(e: FieldError): string {
    const s = this.strings.afterSales;
    const p = e.params ?? {};
    switch (e.code) {
      case 'quantity-above-bought':
        return s.errors.quantityAboveBought(Number(p.bought));
      case 'no-reason-window-closed':
        return typeof p.closedAt === 'number' ? s.errors.windowClosedOn(this.date(p.closedAt)) : s.errors.windowUnknown;
      case 'no-reason-excluded':
        return s.errors.excluded((p.categories as string[] | undefined ?? []).map((c) => s.categories[c as keyof typeof s.categories] ?? c).join(', '));
      case 'amount-above-refundable':
        return s.errors.amountAbove(this.money(p.max as never));
      case 'description-too-long':
        return s.errors.descriptionTooLong(MAX_DESCRIPTION_LENGTH);
      case 'too-many-photos':
        return s.photosLimit(MAX_EVIDENCE_PHOTOS);
      case 'evidence-missing':
        return s.errors.evidenceMissing(s.slots[p.slot as PhotoSlot] ?? String(p.slot));
      default:
        return ownString(s.errors, e.code) ?? s.errors.invalid;
    }
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const order = this.order;
    const client = this.client;
    if (!order || !client || this.busy) return;
    const s = this.strings.afterSales;
    this.attempted = true;
    this.serverErrors = [];
    this.formError = '';
    const outbox = this.outbox.value;
    const states = this.photos.map((p) => this.uploadState(p, outbox));
    if (states.includes('uploading')) return void (this.formError = s.photosPending);
    if (states.includes('failed')) return void (this.formError = s.photosFailed);
    if (this.problems(order).size > 0) {
      this.formError = s.fixErrors;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const checked = validateAfterSalesRequest(order, this.buildRequest(order).request, Date.now());
    if (!checked.ok) return;
    this.busy = true;
    try {
      // The checked value: what core accepted, with the description trimmed.
      const receipt = await client.openCase(order.id, checked.value);
      const result = await receipt.settled;
      const caseId = result?.caseId;
      if (typeof caseId === 'string') this.go({ view: 'case', caseId, replace: true });
      else this.go({ view: 'cases', replace: true });
    } catch (error) {
      this.formError = this.problem(error);
      if (XiaoerError.isInstance(error) && error.fields) this.serverErrors = error.fields;
    } finally {
      this.busy = false;
    }
  }

  // ---------------------------------------------------------------- render

  private eligibilityReason(r: EligibilityReason, order: Order): string {
    const s = this.strings.afterSales.eligibilityReasons;
    switch (r.code) {
      case 'no-reason-window-open':
        return s.windowOpen(this.date(r.params.until));
      case 'no-reason-window-closed':
        return s.windowClosed(this.date(r.params.closedAt));
      case 'category-excluded': {
        const titles = order.items.filter((i) => r.params.lineIds.includes(i.lineId)).map((i) => i.title);
        return s.categoryExcluded(this.strings.afterSales.categories[r.params.category], titles.join(', '));
      }
      case 'fast-refund-amount-above-limit':
        return s.fastRefundAboveLimit(this.money(r.params.maxAmount));
      default:
        return s[r.code];
    }
  }

  private renderEligibility(order: Order, e: Eligibility) {
    const s = this.strings.afterSales;
    const days = order.policy.noReasonReturnDays ?? 7;
    const window = e.noReasonReturn;
    const windowLine =
      window.until === undefined
        ? s.window.notStarted(days, window.reasons.filter((r) => r.code !== 'category-excluded' && r.code !== 'all-lines-excluded').map((r) => this.eligibilityReason(r, order)).join(' '))
        : Date.now() < window.until
          ? s.window.open(days, this.dateTime(window.until))
          : s.window.closed(days, this.dateTime(window.until));
    const exclusions = window.reasons.filter((r) => r.code === 'category-excluded' || r.code === 'all-lines-excluded');
    const payer = this.reason && this.type !== 'refund-only' ? returnPostagePayer(order, this.reason) : null;
    return html`<section part="eligibility" class="card stack" aria-labelledby="eligibility-heading">
      <h4 id="eligibility-heading">${s.eligibilityHeading}</h4>
      <ul class="plain list">
        ${CASE_TYPES.map((type) => {
          const verdict = e.cases[type];
          return html`<li>
            ${s.verdict(s.types[type], verdict.allowed ? s.available : s.notAvailable)}
            ${verdict.allowed ? nothing : html`<span class="muted">— ${verdict.reasons.map((r) => this.eligibilityReason(r, order)).join(' ')}</span>`}
          </li>`;
        })}
      </ul>
      <ul class="plain list facts-list">
        <li>${windowLine}</li>
        ${exclusions.map((r) => html`<li>${this.eligibilityReason(r, order)}</li>`)}
        <li>
          ${e.fastRefund.eligible
            ? s.fastRefund.yes(this.money(e.fastRefund.maxAmount))
            : s.fastRefund.no(e.fastRefund.reasons.map((r) => this.eligibilityReason(r, order)).join(' '))}
        </li>
        <li>
          ${e.shippingInsurance.covered ? s.insurance.covered(this.money(e.shippingInsurance.maxPayout)) : s.insurance.none}
          ${payer ? html`<strong>${s.insurance.payerForReason(s.payers[payer])}</strong>` : nothing}
        </li>
      </ul>
    </section>`;
  }

  private renderPhotos(problems: Map<ErrorPlace, string>) {
    const s = this.strings.afterSales;
    const outbox = this.outbox.value;
    const checklist = this.reason ? evidenceChecklist(this.reason) : [];
    const slots = [...new Set<PhotoSlot>([...checklist, ...this.photos.map((p) => p.slot), 'other'])];
    const full = this.photos.length >= MAX_EVIDENCE_PHOTOS;
    const photosError = problems.get('photos') || this.photosNote;
    return html`<fieldset aria-describedby="photos-hint photos-error">
      <legend>${s.photos}</legend>
      <p class="hint" id="photos-hint">
        ${s.photoCount(this.photos.length, MAX_EVIDENCE_PHOTOS)}
        ${checklist.length > 0 ? html` · ${s.photosRequired(checklist.map((slot) => s.slots[slot]).join(', '))}` : nothing}
      </p>
      ${slots.map((slot) => {
        const label = s.slots[slot];
        const required = checklist.includes(slot);
        const mine = this.photos.filter((p) => p.slot === slot);
        const error = problems.get(`slot:${slot}`);
        return html`<div part="photo-slot" class="slot" role="group" aria-labelledby="slot-${slot}" aria-describedby="slot-${slot}-error">
          <p class="label" id="slot-${slot}">${label}${required ? html` <span class="muted">${s.requiredMark}</span>` : nothing}</p>
          ${mine.length > 0
            ? html`<ul class="plain photos">
                ${mine.map((photo, i) => {
                  const upload = this.uploadState(photo, outbox);
                  return html`<li part="photo" class="photo ${upload}">
                    <img class="thumb" src=${photo.preview} alt=${s.photoAlt(label, i + 1)} />
                    <span class="upload-state" role="status">${photo.problem ?? s.upload[upload]}</span>
                    ${upload === 'failed' ? html`<button type="button" class="link" aria-label=${s.retryPhoto(label, i + 1)} @click=${() => this.retryPhoto(photo)}>${s.retry}</button>` : nothing}
                    <button type="button" class="link" aria-label=${s.removePhoto(label, i + 1)} @click=${() => this.removePhoto(photo)}>${s.remove}</button>
                  </li>`;
                })}
              </ul>`
            : nothing}
          <label class="btn file ${full ? 'disabled' : ''}">
            ${s.addPhoto}
            <input
              type="file"
              class="visually-hidden"
              accept=${PHOTO_ACCEPT}
              multiple
              aria-label=${s.addPhotoTo(label)}
              aria-invalid=${error ? 'true' : 'false'}
              ?disabled=${full}
              @change=${(e: Event) => this.onFiles(slot, e.target as HTMLInputElement)}
            />
          </label>
          <p class="error" id="slot-${slot}-error">${error ?? nothing}</p>
        </div>`;
      })}
      <p class="error" id="photos-error" role="alert">${photosError || nothing}</p>
    </fieldset>`;
  }

  private renderForm(order: Order, e: Eligibility) {
    const s = this.strings.afterSales;
    const problems = this.attempted ? this.problems(order) : new Map<ErrorPlace, string>();
    const stage = orderStage(order);
    const reasons = this.type && stage ? reasonsFor(this.type, stage) : [];
    const max = this.maxAmount(order);
    return html`<form part="form" novalidate @submit=${this.submit}>
      <fieldset aria-describedby="type-error">
        <legend>${s.typeLegend}</legend>
        ${CASE_TYPES.map((type) => {
          const verdict = e.cases[type];
          return html`<label class="choice">
            <input
              type="radio"
              name="type"
              .checked=${live(this.type === type)}
              ?disabled=${!verdict.allowed}
              aria-invalid=${problems.has('type') ? 'true' : 'false'}
              @change=${() => {
                this.type = type;
                if (!reasonsFor(type).includes(this.reason as never)) this.reason = '';
              }}
            />
            ${s.types[type]}
          </label>`;
        })}
        <p class="error" id="type-error">${problems.get('type') ?? nothing}</p>
      </fieldset>

      <fieldset aria-describedby="lines-error">
        <legend>${s.items}</legend>
        ${order.items.map((item) => {
          const chosen = this.lines.has(item.lineId);
          const error = problems.get(`line:${item.lineId}`);
          return html`<div class="line">
            <label class="choice">
              <input
                type="checkbox"
                .checked=${live(chosen)}
                @change=${(ev: Event) => {
                  const next = new Map(this.lines);
                  if ((ev.target as HTMLInputElement).checked) next.set(item.lineId, String(item.quantity));
                  else next.delete(item.lineId);
                  this.lines = next;
                }}
              />
              ${item.title} <span class="muted">${s.bought(item.quantity)}</span>
            </label>
            ${chosen
              ? html`<label class="qty">
                  <span>${s.quantityOf(item.title)}</span>
                  <input
                    type="number"
                    min="1"
                    max=${item.quantity}
                    inputmode="numeric"
                    .value=${live(this.lines.get(item.lineId) ?? '')}
                    aria-invalid=${error ? 'true' : 'false'}
                    aria-describedby="line-${item.lineId}-error"
                    @input=${(ev: Event) => (this.lines = new Map(this.lines).set(item.lineId, (ev.target as HTMLInputElement).value))}
                  />
                </label>`
              : nothing}
            <p class="error" id="line-${item.lineId}-error">${error ?? nothing}</p>
          </div>`;
        })}
        <p class="error" id="lines-error">${problems.get('lines') ?? nothing}</p>
      </fieldset>

      <div class="field">
        <label for="reason">${s.reason}</label>
        <select
          id="reason"
          .value=${live(this.reason)}
          ?disabled=${!this.type}
          aria-invalid=${problems.has('reason') ? 'true' : 'false'}
          aria-describedby="reason-error"
          @change=${(ev: Event) => (this.reason = (ev.target as HTMLSelectElement).value)}
        >
          <option value="">${s.chooseReason}</option>
          ${reasons.map((code) => html`<option value=${code} ?selected=${code === this.reason}>${s.reasons[code]}</option>`)}
        </select>
        <p class="error" id="reason-error">${problems.get('reason') ?? nothing}</p>
      </div>

      ${this.type === 'exchange'
        ? nothing
        : field({
            id: 'amount',
            label: s.amount(order.totals.paid.currency),
            value: this.amountShown(order),
            error: problems.get('amount'),
            hint: s.amountHint(this.money(max)),
            inputmode: 'decimal',
            onInput: (value) => (this.amountText = value),
          })}
      ${field({
        id: 'description',
        label: s.description,
        value: this.description,
        multiline: true,
        error: problems.get('description'),
        hint: s.counter(this.description.trim().length, MAX_DESCRIPTION_LENGTH),
        onInput: (value) => (this.description = value),
      })}
      ${this.renderPhotos(problems)}
      <p class="error" role="alert">${this.formError || problems.get('form') || nothing}</p>
      <div><button part="submit" class="btn primary" type="submit" ?disabled=${this.busy}>${this.busy ? s.submitting : s.submit}</button></div>
    </form>`;
  }

  override render() {
    const s = this.strings;
    const order = this.order;
    const heading = html`<h3 class="heading" tabindex="-1">${s.afterSales.title}</h3>`;
    if (!order) {
      return html`${heading}
        ${this.formError
          ? html`<div class="notice stack" role="alert"><p>${this.formError}</p><button class="btn" @click=${this.load}>${s.common.retry}</button></div>`
          : html`<p role="status">${this.online.value ? s.common.loading : s.common.offlineLoad}</p>`}`;
    }
    const e = eligibility(order, Date.now());
    const anyAllowed = CASE_TYPES.some((t) => e.cases[t].allowed);
    return html`${heading}
      <p class="muted">${s.orders.detailTitle(order.id)}</p>
      ${this.renderEligibility(order, e)} ${anyAllowed ? this.renderForm(order, e) : html`<p class="notice">${s.afterSales.noneAllowed}</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-after-sales-form': XiaoerAfterSalesForm;
  }
}
