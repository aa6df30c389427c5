import type { XiaoerStrings } from './strings.js';

export type { XiaoerStrings } from './strings.js';

/** The locales the widget ships. */
export type XiaoerLocale = 'en' | 'zh-CN';

/**
 * Each table is its own module, imported when first needed: the script-tag build ships only the
 * page's locale and fetches the other on a switch. The npm entries (`define`, `index`) provide both
 * up front (`provideLocale`), so there every table is there from the first render.
 */
const LOADERS: Record<XiaoerLocale, () => Promise<XiaoerStrings>> = {
  en: () => import('./en.js').then((m) => m.en),
  'zh-CN': () => import('./zh-CN.js').then((m) => m.zhCN),
};

const tables: Partial<Record<XiaoerLocale, XiaoerStrings>> = {};
const loading = new Map<XiaoerLocale, Promise<XiaoerStrings>>();

/**
 * Picks the shipped locale for a BCP 47 tag: any Chinese tag (`zh`, `zh-CN`, `zh-Hans-SG`, …) gets
 * zh-CN — the only Chinese table so far — and everything else, including an empty tag, gets English.
 *
 * @example
 * resolveLocale('zh-Hans') // 'zh-CN'
 * resolveLocale('fr-FR')   // 'en'
 */
export function resolveLocale(tag: string | null | undefined): XiaoerLocale {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' ? 'zh-CN' : 'en';
}

/** Makes a table available synchronously (the npm entries do this for both shipped locales). */
export function provideLocale(locale: XiaoerLocale, table: XiaoerStrings): void {
  tables[locale] = table;
}

/** Whether a locale's table is loaded. */
export function hasLocale(locale: XiaoerLocale): boolean {
  return tables[locale] !== undefined;
}

/**
 * Loads a locale's table (once; later calls share the first load).
 *
 * @example
 * await loadLocale(resolveLocale(document.documentElement.lang));
 */
export function loadLocale(locale: XiaoerLocale): Promise<XiaoerStrings> {
  const table = tables[locale];
  if (table) return Promise.resolve(table);
  let pending = loading.get(locale);
  if (!pending) {
    pending = LOADERS[locale]().then(
      (loaded) => ((tables[locale] = loaded), loaded),
      (error: unknown) => {
        loading.delete(locale); // a later switch may try again
        throw error;
      },
    );
    loading.set(locale, pending);
  }
  return pending;
}

/**
 * The string table of a shipped locale. While a locale is still loading (see `loadLocale`), the
 * table of one that is loaded stands in; elements wait for their own before they render.
 */
export function stringsFor(locale: XiaoerLocale): XiaoerStrings {
  const table = tables[locale] ?? tables.en ?? tables['zh-CN'];
  if (!table) throw new Error(`[xiaoer] no string table loaded: import '@xiaoer/widget/define' or await loadLocale('${locale}') first`);
  return table;
}
