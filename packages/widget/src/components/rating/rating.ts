import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { MAX_RATING_COMMENT, MAX_RATING_TAGS, RATING_TAGS, type RatingTag } from '@xiaoer/core';
import { XiaoerView } from '../../base/xiaoer-view.js';
import { field } from '../../base/fields.js';
import { StoreController } from '../../controllers/store-controller.js';

const SCORES = [1, 2, 3, 4, 5] as const;

/**
 * @summary The satisfaction card shown when an agent session ends: 1–5 stars (a radio group, by
 * keyboard too), tags as toggle buttons, an optional comment. Sent once (`client.rate`); after
 * that, and whenever the session is already rated (routing `rated`), it only says thanks.
 *
 * @event {XiaoerNavigateEvent} xiaoer-navigate - "Complaint": `{ view: 'complaint' }`.
 *
 * @csspart stars - The star radio group.
 * @csspart star - One star.
 * @csspart tags - The tag buttons.
 * @csspart thanks - The thank-you line once rated.
 *
 * @cssproperty [--xiaoer-star-color=#f59e0b] - A chosen star.
 */
export class XiaoerRating extends XiaoerView {
  static override styles = [
    ...XiaoerView.styles,
    css`
      :host {
        display: block;
        padding: 12px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--xiaoer-card-bg, var(--_surface));
      }
      .heading {
        font-size: 15px;
        margin-bottom: 8px;
      }
      .stars {
        display: flex;
        gap: 2px;
      }
      .star {
        position: relative;
        margin: 0;
        font-size: 26px;
        line-height: 1;
        color: var(--_border);
        cursor: pointer;
      }
      .star.on {
        color: var(--xiaoer-star-color, #f59e0b);
      }
      .star input {
        position: absolute;
        inset: 0;
        opacity: 0;
        margin: 0;
        cursor: pointer;
      }
      .star:focus-within {
        outline: 2px solid var(--xiaoer-color-focus, #2563eb);
        outline-offset: 1px;
        border-radius: 4px;
      }
      .tags {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .tag {
        padding: 2px 10px;
        border: 1px solid var(--_border);
        border-radius: 999px;
        background: var(--_surface);
        font-size: 12px;
      }
      .tag[aria-pressed='true'] {
        border-color: var(--_primary);
        background: var(--_primary);
        color: var(--_on-primary);
      }
    `,
  ];

  private readonly routing = new StoreController(this, () => this.client, (s) => s.routing);

  /** The agent session to rate (routing's `sessionId`). */
  @property({ attribute: 'session-id' }) sessionId = '';

  @state() private score = 0;
  @state() private tags: readonly RatingTag[] = [];
  @state() private comment = '';
  @state() private error = '';
  @state() private busy = false;
  /** Submitted from this page: thanks at once, before the server's `rated` arrives. */
  @state() private submitted = false;

  private get rated(): boolean {
    const routing = this.routing.value;
    return this.submitted || (routing.phase === 'rated' && routing.sessionId === this.sessionId);
  }

  private toggleTag(tag: RatingTag): void {
    if (this.tags.includes(tag)) this.tags = this.tags.filter((t) => t !== tag);
    else if (this.tags.length < MAX_RATING_TAGS) this.tags = [...this.tags, tag];
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const s = this.strings.rating;
    if (this.score === 0) return void (this.error = s.scoreRequired);
    if (this.comment.trim().length > MAX_RATING_COMMENT) return void (this.error = this.strings.address.tooLong(MAX_RATING_COMMENT));
    const client = this.client;
    if (!client || this.busy || this.rated) return;
    this.busy = true;
    this.error = '';
    try {
      const receipt = await client.rate({ sessionId: this.sessionId, score: this.score, tags: this.tags, comment: this.comment });
      this.submitted = true;
      await receipt.settled;
    } catch (error) {
      this.submitted = false;
      this.error = this.problem(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.strings.rating;
    if (this.rated) {
      return html`<p part="thanks" class="heading" tabindex="-1" role="status">${s.thanks}</p>
        <button class="link" @click=${() => this.go({ view: 'complaint' })}>${s.complaint}</button>`;
    }
    return html`<form novalidate aria-labelledby="rating-title" @submit=${this.submit}>
      <h3 class="heading" id="rating-title" tabindex="-1">${s.title}</h3>
      <div part="stars" class="stars" role="radiogroup" aria-label=${s.scoreLabel} aria-required="true">
        ${SCORES.map(
          (score) => html`<label part="star" class="star ${score <= this.score ? 'on' : ''}">
            <input type="radio" name="score" .checked=${score === this.score} aria-label=${s.stars(score)} @change=${() => ((this.score = score), (this.error = ''))} />
            <span aria-hidden="true">★</span>
          </label>`,
        )}
      </div>
      <div part="tags" class="tags" role="group" aria-label=${s.tagsLabel}>
        ${RATING_TAGS.map(
          (tag) => html`<button type="button" class="tag" aria-pressed=${this.tags.includes(tag) ? 'true' : 'false'} @click=${() => this.toggleTag(tag)}>${s.tags[tag]}</button>`,
        )}
      </div>
      ${field({ id: 'rating-comment', label: s.comment, value: this.comment, multiline: true, onInput: (v) => (this.comment = v) })}
      <p class="error" role="alert">${this.error || nothing}</p>
      <div class="spread">
        <button class="btn primary" type="submit" ?disabled=${this.busy}>${s.submit}</button>
        <button class="link" type="button" @click=${() => this.go({ view: 'complaint' })}>${s.complaint}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'xiaoer-rating': XiaoerRating;
  }
}
