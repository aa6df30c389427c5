/** One entry of a shop's FAQ. */
export interface FaqEntry {
  readonly id: string;
  /** BCP 47 tag, e.g. `zh-CN` or `en`. */
  readonly locale: string;
  readonly question: string;
  readonly answer: string;
  /** Extra words buyers use for this question (slang, abbreviations). */
  readonly keywords?: readonly string[];
}

export interface FaqHit {
  readonly entry: FaqEntry;
  /** Relevance in [0, 1]: the share of the query's terms the entry covers, weighted by rarity. */
  readonly score: number;
}

export interface FaqSearchOptions {
  /** Prefer entries of this locale (others still match, ranked lower). */
  readonly locale?: string;
  readonly limit?: number;
  /** Hits below this relevance are dropped: better "not sure" than a confident wrong answer. */
  readonly threshold?: number;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const STOP_WORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'i', 'my', 'me', 'to', 'do', 'does', 'can', 'how', 'what', 'where', 'when', 'of', 'for', 'in', 'on', 'it', 'you', 'your', 'please', 'and', 'or',
  '的', '了', '吗', '呢', '我', '你', '是', '在', '怎么', '什么', '请问', '啊', '吧',
]);

const segmenterCache = new Map<string, Intl.Segmenter>();
function segmenter(locale: string): Intl.Segmenter {
  let s = segmenterCache.get(locale);
  if (!s) segmenterCache.set(locale, (s = new Intl.Segmenter(locale, { granularity: 'word' })));
  return s;
}

/** English plural and verb endings folded away, so "parcels" finds "parcel". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('es') && /(sh|ch|x|s|z)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Terms of a text: words by `Intl.Segmenter` (so Chinese is split into words, not bytes), folded
 * (NFKC: full-width letters become ASCII; lower case; English stems), plus character bigrams of
 * Chinese runs so that a segmentation that differs between query and entry still meets.
 */
export function faqTerms(text: string, locale = 'zh-CN'): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter(locale).segment(folded)) {
    if (!isWordLike) continue;
    if (CJK.test(segment)) {
      if (!STOP_WORDS.has(segment)) terms.push(segment);
      const chars = [...segment];
      for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i]! + chars[i + 1]!);
      if (chars.length === 1 && !STOP_WORDS.has(segment)) terms.push(segment);
    } else if (!STOP_WORDS.has(segment)) {
      terms.push(stem(segment));
    }
  }
  return [...new Set(terms)];
}

/**
 * An offline, in-memory search over FAQ entries. Build it once per FAQ; `search` is cheap.
 *
 * @example
 * const faq = createFaqIndex(entries)
 * const [best] = faq.search('包裹到哪了', { locale: 'zh-CN' })
 */
export function createFaqIndex(entries: readonly FaqEntry[]) {
  const docs = entries.map((entry) => {
    const weighted = new Map<string, number>();
    for (const t of faqTerms(entry.question, entry.locale)) weighted.set(t, 1);
    for (const k of entry.keywords ?? []) for (const t of faqTerms(k, entry.locale)) weighted.set(t, Math.max(weighted.get(t) ?? 0, 1));
    for (const t of faqTerms(entry.answer, entry.locale)) if (!weighted.has(t)) weighted.set(t, 0.25);
    return { entry, weighted };
  });
  const documentFrequency = new Map<string, number>();
  for (const d of docs) for (const t of d.weighted.keys()) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + docs.length / (documentFrequency.get(t) ?? docs.length));

  return {
    search(query: string, { locale, limit = 5, threshold = 0.35 }: FaqSearchOptions = {}): FaqHit[] {
      const terms = faqTerms(query, locale);
      if (terms.length === 0) return [];
      const total = terms.reduce((sum, t) => sum + idf(t), 0);
      const hits: FaqHit[] = [];
      for (const d of docs) {
        let covered = 0;
        for (const t of terms) covered += (d.weighted.get(t) ?? 0) * idf(t);
        let score = total > 0 ? covered / total : 0;
        if (locale && d.entry.locale !== locale) score *= 0.8;
        if (score >= threshold) hits.push({ entry: d.entry, score });
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, limit);
    },
  };
}

export type FaqIndex = ReturnType<typeof createFaqIndex>;
