import { property } from 'lit/decorators.js';
import { XiaoerError, formatMoney, type Money, type XiaoerClient } from '@xiaoer/core';
import type { XiaoerNavigateDetail } from '../events/navigate.js';
import { formatDate, formatDateTime } from '../internal/format.js';
import { PhotoError } from '../internal/photo.js';
import { XiaoerElement } from './xiaoer-element.js';
import { viewStyles } from './view.styles.js';

/**
 * A table's own entry for a key that came from the server (a reason, a code, a status): never
 * something inherited from `Object.prototype` such as `constructor`.
 */
export function ownString(table: object, key: string): string | undefined {
  const value = Object.prototype.hasOwnProperty.call(table, key) ? (table as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The base of the panel's views (orders, after-sales, help…): a `client` to render from and act
 * through, a heading the chat focuses on arrival, navigation by event, and the formatting every
 * view shares (money with `formatMoney`, dates with `Intl.DateTimeFormat`, refusals translated).
 */
export class XiaoerView extends XiaoerElement {
  static override styles = [...XiaoerElement.styles, viewStyles];

  /** The client to render from and act through. */
  @property({ attribute: false }) client?: XiaoerClient;

  /** Moves focus to the view's heading (what a screen reader then reads first). */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  /** Asks the chat (or whoever hosts the view) to show another place. */
  protected go(to: XiaoerNavigateDetail): void {
    this.emit('xiaoer-navigate', to);
  }

  protected money(value: Money): string {
    return formatMoney(value, this.resolvedLocale);
  }

  protected date(ms: number): string {
    return formatDate(ms, this.resolvedLocale);
  }

  protected dateTime(ms: number): string {
    return formatDateTime(ms, this.resolvedLocale);
  }

  /**
   * A failure in the buyer's words: offline, a rule's reason the widget knows (`already-shipped`…),
   * or the shop's own refusal message (shown as text), else a generic line.
   */
  protected problem(error: unknown): string {
    const s = this.strings.problems;
    if (error instanceof PhotoError) return s.photo[error.reason];
    if (!XiaoerError.isInstance(error)) {
      console.error('[xiaoer]', error);
      return s.generic;
    }
    const known = error.reason ? ownString(s.reasons, error.reason) : undefined;
    if (known) return known;
    switch (error.code) {
      case 'offline':
      case 'transport':
        return s.offline;
      case 'timeout':
        return s.timeout;
      case 'not-found':
        return s.notFound;
      case 'unauthorized':
        return s.unauthorized;
      case 'rate-limited':
        return s.rateLimited;
      case 'invalid-transition':
        return s.invalidTransition;
      case 'refused':
        return s.refused(error.message);
      default:
        return s.generic;
    }
  }
}
