import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { COMPLAINT_CATEGORIES, MAX_COMPLAINT_TEXT, validateComplaint, type ComplaintCategory } from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';

/**
 * @summary A complaint: what it is about (category), what happened, optionally the order. Checked
 * with core `validateComplaint`, sent with `client.complain`; the shop answers it as a ticket in
 * the conversation.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - "Back to chat" after sending.
 *
 * @csspart form - The form.
 * @csspart confirmation - What shows once the complaint is sent.
 *
 * @cssproperty [--xiaoer-color-primary=#c2410c] - The send button.
 */
export class XiaoerComplaintForm extends XiaoerView {
  /** The order the complaint is about, prefilled. */
  @property({ attribute: 'order-id' }) orderId = '';

  @state() private category: ComplaintCategory | '' = '';
  @state() private text = '';
  @state() private order: string | null = null;
  @state() private errors: { category?: string; text?: string; orderId?: string } = {};
  @state() private error = '';
  @state() private busy = false;
  @state() private sent = false;

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const s = this.strings.complaint;
    const orderId = (this.order ?? this.orderId).trim();
    const checked = validateComplaint({ category: this.category, text: this.text, ...(orderId ? { orderId } : {}) });
    if (!checked.ok) {
      const errors: typeof this.errors = {};
      for (const e of checked.errors) {
        if (e.path === 'category') errors.category = s.categoryRequired;
        else if (e.path === 'text') errors.text = e.code === 'text-too-long' ? this.strings.address.tooLong(MAX_COMPLAINT_TEXT) : s.textRequired;
        else if (e.path === 'orderId') errors.orderId = this.strings.address.invalid;
      }
      this.errors = errors;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.errors = {};
    const client = this.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const receipt = await client.complain(checked.value);
      await receipt.settled;
      this.sent = true;
      await this.focusHeading();
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.strings.complaint;
    if (this.sent) {
      return html`<h3 class="heading" tabindex="-1">${s.sentTitle}</h3>
        <div part="confirmation" class="stack">
          <p role="status">${s.sentBody}</p>
          <button class="btn primary" @click=${() => this.go({ view: 'chat' })}>${this.strings.leave.backToChat}</button>
        </div>`;
    }
    return html`<h3 class="heading" tabindex="-1">${s.title}</h3>
      <form part="form" novalidate @submit=${this.submit}>
        <div class="field">
          <label for="complaint-category">${s.category}</label>
          <select
            id="complaint-category"
            .value=${live(this.category)}
            aria-invalid=${this.errors.category ? 'true' : 'false'}
            aria-describedby="complaint-category-error"
            @change=${(e: Event) => (this.category = (e.target as HTMLSelectElement).value as ComplaintCategory)}
          >
            <option value="">${s.chooseCategory}</option>
            ${COMPLAINT_CATEGORIES.map((c) => html`<option value=${c} ?selected=${c === this.category}>${s.categories[c]}</option>`)}
          </select>
          <p class="error" id="complaint-category-error">${this.errors.category ?? nothing}</p>
        </div>
        ${field({
          id: 'complaint-text',
          label: s.text,
          value: this.text,
          multiline: true,
          error: this.errors.text,
          hint: this.strings.afterSales.counter(this.text.trim().length, MAX_COMPLAINT_TEXT),
          required: true,
          onInput: (v) => (this.text = v),
        })}
        ${field({ id: 'complaint-order', label: s.order, value: this.order ?? this.orderId, error: this.errors.orderId, onInput: (v) => (this.order = v) })}
        <p class="error" role="alert">${this.error || nothing}</p>
        <div><button class="btn primary" type="submit" ?disabled=${this.busy}>${s.send}</button></div>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-complaint-form': XiaoerComplaintForm;
  }
}
