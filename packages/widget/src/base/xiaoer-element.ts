import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { createXiaoerEvent, type XiaoerEventDetail, type XiaoerEventMap, type XiaoerEventName } from '../events/index.js';
import { hasLocale, loadLocale, resolveLocale, stringsFor, type XiaoerLocale, type XiaoerStrings } from '../locales/index.js';
import { hostStyles } from './host.styles.js';

type EmitArgs<K extends XiaoerEventName> = XiaoerEventDetail<K> extends Record<string, never> ? [] : [detail: XiaoerEventDetail<K>];

/** Elements that follow `<html lang>`; one observer serves them all. */
const followers = new Set<XiaoerElement>();
let documentLangObserver: MutationObserver | null = null;

function followDocumentLang(element: XiaoerElement): void {
  followers.add(element);
  if (documentLangObserver || typeof MutationObserver === 'undefined') return;
  documentLangObserver = new MutationObserver(() => {
    for (const follower of followers) follower.requestUpdate();
  });
  documentLangObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
}

function unfollowDocumentLang(element: XiaoerElement): void {
  followers.delete(element);
  if (followers.size === 0 && documentLangObserver) {
    documentLangObserver.disconnect();
    documentLangObserver = null;
  }
}

/**
 * The base of every Xiaoer element: host isolation styles, localisation and `emit()`.
 *
 * The locale comes from, in order: the `locale` property (attribute `locale`), the element's own
 * `lang` attribute, `<html lang>`, then English. Any of them changing re-renders the element.
 */
export class XiaoerElement extends LitElement {
  static override styles = [hostStyles];

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  /** A BCP 47 tag; Chinese tags (`zh`, `zh-CN`, `zh-Hans`) get Simplified Chinese, anything else English. */
  @property({ reflect: true }) locale?: string;

  /** The shipped locale in effect. */
  get resolvedLocale(): XiaoerLocale {
    return resolveLocale(this.locale || this.getAttribute('lang') || document.documentElement.lang);
  }

  /** The string table in effect. */
  protected get strings(): XiaoerStrings {
    return stringsFor(this.resolvedLocale);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    followDocumentLang(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unfollowDocumentLang(this);
  }

  /**
   * Waits for the locale's string table when it is not loaded yet (the script-tag build fetches a
   * table on first use), so the element never renders in a stand-in language. Deferring here, not
   * in `shouldUpdate`, keeps the changed properties of this update.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const locale = this.resolvedLocale;
    if (hasLocale(locale)) return super.scheduleUpdate();
    return loadLocale(locale).then(
      () => super.scheduleUpdate(),
      (error: unknown) => {
        console.error(`[xiaoer] the ${locale} strings could not be loaded`, error);
        return super.scheduleUpdate(); // another loaded table stands in
      },
    );
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value) this.requestUpdate();
  }

  /** Dispatches one of the widget's documented events (bubbling, composed) from this element, and returns it. */
  protected emit<K extends XiaoerEventName>(name: K, ...args: EmitArgs<K>): XiaoerEventMap[K] {
    const event = createXiaoerEvent(name, (args[0] ?? {}) as XiaoerEventDetail<K>);
    this.dispatchEvent(event);
    return event;
  }
}
