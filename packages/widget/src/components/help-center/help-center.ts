import { css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { FaqEntry } from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { StoreController } from '../../controllers/store-controller.js';
import { loadFaq, type LoadedFaq } from '../../internal/faq-cache.js';

/** Typing pauses this long before a search runs: results follow the buyer without flickering per key. */
const SEARCH_DELAY_MS = 200;
const LIMIT = 8;

/**
 * @summary The help center: the shop's FAQ, loaded once per client and locale
 * (`client.query({ type: 'faq.entries' })`) and searched on the device as the buyer types — so it
 * keeps working offline after the first load, and handles Chinese as well as English (core
 * `createFaqIndex`). When nothing matches well enough it says so and offers a person.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - "Talk to a person": `{ view: 'person' }`.
 *
 * @csspart search - The search box.
 * @csspart results - The list of questions.
 * @csspart answer - An answer, shown when its question is expanded.
 * @csspart no-match - The "no matching answer" notice.
 *
 * @cssproperty [--xiaoer-color-primary=#c2410c] - Questions' markers and the handoff button.
 */
export class XiaoerHelpCenter extends XiaoerView {
  static override styles = [
    ...XiaoerView.styles,
    css`
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      summary::marker {
        color: var(--_primary);
      }
      details[open] summary {
        margin-bottom: 6px;
      }
      .results {
        margin-top: 12px;
      }
    `,
  ];

  private readonly online = new StoreController(this, () => this.client, (s) => s.connection.status === 'online');

  @state() private faq: LoadedFaq | null = null;
  @state() private loadError: unknown = null;
  @state() private query = '';
  /** The query the results are for (the debounced one). */
  @state() private searched = '';
  private loadingFor: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wasOnline = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  protected override willUpdate(): void {
    const online = this.online.value;
    if (online && !this.wasOnline) this.loadError = null;
    this.wasOnline = online;
    const key = `${this.resolvedLocale}`;
    if (this.client && this.loadingFor !== key && !this.loadError) void this.load(key);
  }

  private async load(locale: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.loadingFor = locale;
    this.loadError = null;
    try {
      this.faq = await loadFaq(client, locale);
    } catch (error) {
      this.loadError = error;
      this.loadingFor = null;
    }
  }

  private onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.searched = this.query.trim()), SEARCH_DELAY_MS);
  }

  private renderEntries(entries: readonly FaqEntry[]) {
    return html`<ul part="results" class="plain list results" aria-label=${this.strings.help.resultsLabel}>
      ${entries.map(
        (entry) => html`<li class="card">
          <details>
            <summary>${entry.question}</summary>
            <p part="answer" class="pre">${entry.answer}</p>
          </details>
        </li>`,
      )}
    </ul>`;
  }

  override render() {
    const s = this.strings.help;
    const faq = this.faq;
    let body;
    if (!faq) {
      body = this.loadError
        ? html`<div class="notice stack" role="alert">
            <p>${this.problem(this.loadError)}</p>
            <button class="btn" @click=${() => this.load(this.resolvedLocale)}>${this.strings.common.retry}</button>
          </div>`
        : html`<p role="status">${this.strings.common.loading}</p>`;
    } else if (!this.searched) {
      const popular = faq.entries.filter((e) => e.locale === this.resolvedLocale).slice(0, LIMIT);
      body = html`<h4>${s.popular}</h4>
        ${this.renderEntries(popular.length > 0 ? popular : faq.entries.slice(0, LIMIT))}`;
    } else {
      const hits = faq.index.search(this.searched, { locale: this.resolvedLocale, limit: LIMIT });
      body =
        hits.length === 0
          ? html`<div part="no-match" class="notice stack" role="status">
              <p>${s.noMatch}</p>
              <button class="btn primary" @click=${() => this.go({ view: 'person' })}>${this.strings.talkToPerson}</button>
            </div>`
          : html`<p class="muted" role="status">${s.resultCount(hits.length)}</p>
              ${this.renderEntries(hits.map((h) => h.entry))}`;
    }
    return html`<h3 class="heading" tabindex="-1">${s.title}</h3>
      <label for="help-search">${s.searchLabel}</label>
      <input part="search" id="help-search" type="search" .value=${this.query} placeholder=${s.placeholder} autocomplete="off" @input=${this.onInput} />
      ${body}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-help-center': XiaoerHelpCenter;
  }
}
