import { html, nothing } from 'lit';
import { formatMoney, type TimelineItem } from '@xiaoer/core';
import { ownString } from '../../base/xiaoer-view.js';
import type { XiaoerRoute } from '../../events/navigate.js';
import type { XiaoerStrings } from '../../locales/index.js';
import { safeUrl } from '../../internal/safe-url.js';

/** What the chat lends the body renderer. */
export interface BodyHost {
  readonly strings: XiaoerStrings;
  readonly locale: string;
  /** The text of a text or notice body, clipped with its "Show more" (the chat owns that state). */
  text(item: TimelineItem, text: string): unknown;
  openImage(url: string, trigger: HTMLElement): void;
  go(route: XiaoerRoute): void;
  /** The buyer's answer to "Was this helpful?" on a message, if any. */
  feedbackOf(messageId: string): boolean | undefined;
  sendFeedback(messageId: string, helpful: boolean): void;
}

const statusLabel = (s: XiaoerStrings, status: string) => ownString(s.orders.status, status) ?? status;

/**
 * A message's body: text (with "Was this helpful?" under FAQ answers), a notice (with a button to
 * what it refers to), an image (only from http(s) or same-origin URLs; opens the viewer), an order
 * card, a product card. Everything from the server is rendered as text.
 */
export function renderBody(item: TimelineItem, host: BodyHost) {
  const s = host.strings;
  const body = item.body;
  switch (body.kind) {
    case 'text': {
      const id = item.message?.id;
      const answer = body.faqId && id && item.author.role === 'bot' ? host.feedbackOf(id) : null;
      return html`${host.text(item, body.text)}
        ${answer !== null && id
          ? html`<div part="feedback" class="feedback" role="group" aria-labelledby="fb-${id}">
              <span id="fb-${id}">${s.media.wasHelpful}</span>
              <button class="feedback-button" aria-label=${s.media.helpful} aria-pressed=${answer === true ? 'true' : 'false'} @click=${() => host.sendFeedback(id, true)}>👍</button>
              <button class="feedback-button" aria-label=${s.media.notHelpful} aria-pressed=${answer === false ? 'true' : 'false'} @click=${() => host.sendFeedback(id, false)}>👎</button>
            </div>`
          : nothing}`;
    }
    case 'notice': {
      const ref = body.ref;
      return html`${host.text(item, body.text)}
        ${ref
          ? html`<button part="notice-action" class="card-action" @click=${() => host.go(ref.type === 'order' ? { view: 'order', orderId: ref.id } : { view: 'case', caseId: ref.id })}>
              ${ref.type === 'order' ? s.orders.viewOrder : s.cases.view}
            </button>`
          : nothing}`;
    }
    case 'image': {
      const url = safeUrl(body.url);
      if (!url) return html`<p part="message-text" class="text">${s.media.photoPending}</p>`;
      return html`<button part="message-image-button" class="image-button" @click=${(e: Event) => host.openImage(url, e.currentTarget as HTMLElement)}>
        <img part="message-image" class="image" src=${url} alt=${s.media.photo} loading="lazy" />
      </button>`;
    }
    case 'order-card': {
      const card = body.card;
      const image = safeUrl(card.imageUrl);
      return html`<div part="order-card" class="rich-card">
        ${image ? html`<img class="card-image" src=${image} alt="" loading="lazy" />` : nothing}
        <div class="card-body">
          <p class="card-title">${card.title}</p>
          <p class="card-meta">${s.orders.orderLabel(card.orderId)}</p>
          <p class="card-meta">
            ${s.orders.itemCount(card.itemCount)} · <strong>${formatMoney(card.total, host.locale)}</strong>${card.status ? html` · ${statusLabel(s, card.status)}` : nothing}
          </p>
          <button class="card-action" @click=${() => host.go({ view: 'order', orderId: card.orderId })}>${s.orders.viewOrder}</button>
        </div>
      </div>`;
    }
    case 'product-card': {
      const image = safeUrl(body.imageUrl);
      const url = safeUrl(body.url);
      return html`<div part="product-card" class="rich-card">
        ${image ? html`<img class="card-image" src=${image} alt="" loading="lazy" />` : nothing}
        <div class="card-body">
          <p class="card-title">${body.title}</p>
          <p class="card-meta"><strong>${formatMoney(body.price, host.locale)}</strong></p>
          ${url ? html`<a class="card-action" href=${url} target="_blank" rel="noopener noreferrer">${s.media.viewProduct}</a>` : nothing}
        </div>
      </div>`;
    }
  }
}
