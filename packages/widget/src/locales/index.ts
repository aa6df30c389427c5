import { en } from './en.js';
import { zhCN } from './zh-CN.js';
import type { XiaoerStrings } from './strings.js';

export type { XiaoerStrings } from './strings.js';
export { en, zhCN };

/** The locales the widget ships. */
export type XiaoerLocale = 'en' | 'zh-CN';

const TABLES: Record<XiaoerLocale, XiaoerStrings> = { en, 'zh-CN': zhCN };

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

/** The string table of a shipped locale. */
export function stringsFor(locale: XiaoerLocale): XiaoerStrings {
  return TABLES[locale];
}
