import type { FaqEntry, XiaoerClient } from '@xiaoer/core';
// Its own entry: this module is reached only from the help center, a lazily loaded view, so the
// FAQ search stays out of what the widget's first open loads.
import { createFaqIndex, type FaqIndex } from '@xiaoer/core/faq';

export interface LoadedFaq {
  readonly entries: readonly FaqEntry[];
  readonly index: FaqIndex;
}

/** FAQ entries and their index, per client and locale, for as long as the client lives. */
const cache = new WeakMap<XiaoerClient, Map<string, Promise<LoadedFaq>>>();

/**
 * Loads a locale's FAQ once per client (`faq.entries`) and builds its search index; later calls,
 * online or not, get the same one. A failed load is forgotten so the next call tries again.
 */
export function loadFaq(client: XiaoerClient, locale: string): Promise<LoadedFaq> {
  let byLocale = cache.get(client);
  if (!byLocale) cache.set(client, (byLocale = new Map()));
  let loading = byLocale.get(locale);
  if (!loading) {
    const map = byLocale;
    loading = client.query({ type: 'faq.entries', locale }).then(({ entries }) => ({ entries, index: createFaqIndex(entries) }));
    loading.catch(() => map.delete(locale));
    map.set(locale, loading);
  }
  return loading;
}
