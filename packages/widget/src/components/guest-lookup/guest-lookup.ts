import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';

/**
 * @summary Lets a visitor who is not logged in look up one order: order number → "Send code" →
 * the 6-digit code sent to the order's contact → the order's detail.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - Found: `{ view: 'order', orderId }`.
 *
 * @csspart form - The look-up form.
 *
 * @cssproperty [--xiaoer-color-primary=#c2410c] - The buttons.
 */
export class XiaoerGuestLookup extends XiaoerView {
  @state() private orderId = '';
  @state() private code = '';
  /** The order number a code was sent for: the form is at its second step. */
  @state() private codeFor: string | null = null;
  @state() private busy = false;
  @state() private errors: { orderId?: string; code?: string; form?: string } = {};

  private async sendCode(event?: Event): Promise<void> {
    event?.preventDefault();
    const s = this.strings.guest;
    const orderId = this.orderId.trim();
    if (!orderId) return void (this.errors = { orderId: s.orderRequired });
    const client = this.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.errors = {};
    try {
      const receipt = await client.requestGuestCode(orderId);
      await receipt.settled;
      this.codeFor = orderId;
      this.code = '';
    } catch (error) {
      this.errors = { form: this.problem(error) };
    } finally {
      this.busy = false;
    }
  }

  private async lookUp(event: Event): Promise<void> {
    event.preventDefault();
    const s = this.strings.guest;
    const code = this.code.normalize('NFKC').replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) return void (this.errors = { code: s.codeInvalid });
    const client = this.client;
    const orderId = this.codeFor;
    if (!client || !orderId || this.busy) return;
    this.busy = true;
    this.errors = {};
    try {
      await client.lookUpGuestOrder(orderId, code);
      this.go({ view: 'order', orderId });
    } catch (error) {
      this.errors = { form: this.problem(error) };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.strings.guest;
    const step2 = this.codeFor !== null;
    return html`<section aria-labelledby="guest-heading">
      <h4 id="guest-heading">${s.heading}</h4>
      <p class="muted">${s.intro}</p>
      <form part="form" novalidate @submit=${step2 ? this.lookUp : this.sendCode}>
        ${step2
          ? html`<p role="status">${s.codeSent(this.codeFor!)}</p>
              ${field({
                id: 'guest-code',
                label: s.code,
                value: this.code,
                error: this.errors.code,
                inputmode: 'numeric',
                autocomplete: 'one-time-code',
                required: true,
                onInput: (v) => (this.code = v),
              })}
              <div class="row">
                <button class="btn primary" type="submit" ?disabled=${this.busy}>${s.lookUp}</button>
                <button class="link" type="button" ?disabled=${this.busy} @click=${() => (this.codeFor = null)}>${s.changeOrder}</button>
              </div>`
          : html`${field({ id: 'guest-order', label: s.orderNumber, value: this.orderId, error: this.errors.orderId, required: true, onInput: (v) => (this.orderId = v) })}
              <div><button class="btn primary" type="submit" ?disabled=${this.busy}>${s.sendCode}</button></div>`}
        <p class="error" role="alert">${this.errors.form ?? nothing}</p>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-guest-lookup': XiaoerGuestLookup;
  }
}
