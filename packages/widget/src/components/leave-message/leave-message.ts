import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';
import { StoreController } from '../../controllers/store-controller.js';

const MAX_TEXT = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?\d{5,15}$/;

/**
 * @summary Leave a message when nobody can answer now (outside service hours, no agent free):
 * contact details and the message, checked before sending (`client.leaveMessage`), then a
 * confirmation. The answer comes later in the same conversation.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - "Back to chat" after sending.
 *
 * @csspart form - The form.
 * @csspart confirmation - What shows once the message is sent.
 *
 * @cssproperty [--xiaoer-color-primary=#c2410c] - The send button.
 */
export class XiaoerLeaveMessage extends XiaoerView {
  private readonly routing = new StoreController(this, () => this.client, (s) => s.routing);

  @state() private contact = '';
  @state() private text = '';
  @state() private errors: { contact?: string; text?: string } = {};
  @state() private error = '';
  @state() private busy = false;
  @state() private sent: string | null = null;

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const s = this.strings.leave;
    const contact = this.contact.trim();
    const text = this.text.trim();
    const errors: { contact?: string; text?: string } = {};
    if (!contact) errors.contact = s.contactRequired;
    else if (!EMAIL.test(contact) && !PHONE.test(contact.replace(/[\s\-.()]/g, ''))) errors.contact = s.contactInvalid;
    if (!text) errors.text = s.textRequired;
    else if (text.length > MAX_TEXT) errors.text = s.textTooLong(MAX_TEXT);
    this.errors = errors;
    if (errors.contact || errors.text) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const client = this.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const receipt = await client.leaveMessage({ contact, text });
      await receipt.settled;
      this.sent = contact;
      this.text = '';
      await this.focusHeading();
    } catch (error) {
      this.error = this.problem(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.strings.leave;
    const routing = this.routing.value;
    const why = routing.phase === 'offline' ? (routing.reason === 'closed-hours' ? this.strings.offlineClosedHours : this.strings.offlineNoAgent) : s.intro;
    if (this.sent !== null) {
      return html`<h3 class="heading" tabindex="-1">${s.sentTitle}</h3>
        <div part="confirmation" class="stack">
          <p role="status">${s.sentBody(this.sent)}</p>
          <button class="btn primary" @click=${() => this.go({ view: 'chat' })}>${s.backToChat}</button>
        </div>`;
    }
    return html`<h3 class="heading" tabindex="-1">${s.title}</h3>
      <p class="muted">${why}</p>
      <form part="form" novalidate @submit=${this.submit}>
        ${field({
          id: 'leave-contact',
          label: s.contact,
          hint: s.contactHint,
          value: this.contact,
          error: this.errors.contact,
          autocomplete: 'email',
          required: true,
          onInput: (v) => (this.contact = v),
        })}
        ${field({ id: 'leave-text', label: s.text, value: this.text, error: this.errors.text, multiline: true, required: true, onInput: (v) => (this.text = v) })}
        <p class="error" role="alert">${this.error || nothing}</p>
        <div><button class="btn primary" type="submit" ?disabled=${this.busy} aria-describedby=${this.busy ? 'leave-sending' : ''}>${s.send}</button></div>
        ${this.busy ? html`<p class="muted" id="leave-sending" role="status">${this.strings.sending}</p>` : nothing}
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-leave-message': XiaoerLeaveMessage;
  }
}
