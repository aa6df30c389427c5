import { boundedDamerau, typoAllowance } from './faq-fuzzy.js';
import { FAQ_MAX_QUERY_LENGTH, isLightWord, isStopWord, normalizeFaqText, termOf, tokenize, type Token } from './faq-text.js';

/** One entry of a shop's FAQ. Entries that share an `id` are translations of one answer. */
export interface FaqEntry {
  readonly id: string;
  /** BCP 47 tag, e.g. `zh-CN` or `en`. */
  readonly locale: string;
  readonly question: string;
  readonly answer: string;
  /**
   * Extra words buyers use for this question (slang, abbreviations: 仅退款, 催发货, "wrong address").
   * A Chinese keyword is also taught to the segmenter as one word, so 运费险 in a query is one term.
   */
  readonly keywords?: readonly string[];
}

export interface FaqHit {
  /**
   * The entry to show. Of the translations of one answer, the one written in the query's language
   * (whose own words cover most of the query); between equals, the one in the preferred locale.
   */
  readonly entry: FaqEntry;
  /**
   * Relevance in [0, 1]: the share of the query's weight (rare words weigh more, words the FAQ has
   * never seen weigh most) that this answer covers, in any of its translations. A typo or a Chinese
   * word met only through its characters counts for less than an exact term.
   */
  readonly score: number;
  /**
   * The words of the query this answer covered, in query order, folded (lower case, simplified,
   * half-width) but not stemmed: "Parcels" gives "parcels", "退貨" gives "退货". For highlighting
   * and for learning which words lead to which answer.
   */
  readonly matched: readonly string[];
}

export interface FaqSearchOptions {
  /**
   * The buyer's locale (the widget's). Hits whose entry is in it rank first, and it picks the
   * translation when the query's words fit several equally ("7", a brand name). A query written in
   * Chinese prefers Chinese entries whatever this says, and a query written in English gets the
   * English translation of an answer even in a `zh-CN` widget.
   */
  readonly locale?: string;
  /** Most hits returned. Default 5. */
  readonly limit?: number;
  /**
   * Hits below this relevance are dropped: better "not sure" than a confident wrong answer.
   * Default `FAQ_DEFAULT_THRESHOLD`.
   */
  readonly threshold?: number;
}

/**
 * The relevance a hit needs by default. Tuned on a labelled set of buyer questions against the demo
 * FAQ (`faq-labelled.test.ts`), where it sits between the best-scoring question the FAQ does not
 * cover (about 0.57) and the worst-scoring one it does (about 0.62). In words: one known word beside
 * one the FAQ has never seen scores about 0.5 and is not enough ("地址是什么意思", "ship to mars");
 * a known word beside a typo, a time word or a lone character is, and so are two known words beside
 * one unknown.
 */
export const FAQ_DEFAULT_THRESHOLD = 0.6;

/** How much a match counts, by where the term was found in the entry. */
const FIELD_WEIGHT = { question: 1, keyword: 1, answer: 0.3 } as const;
/**
 * How much a typo match counts, by edit distance (index 1 and 2). A one-word query with a typo
 * ("refnud", "dilevery") still clears the default threshold; a typo never outranks the exact word.
 */
const TYPO_MATCH = [1, 0.75, 0.65] as const;
/** How much a Chinese word counts when an entry has its characters in sequence but not the word. */
const PARTIAL_MATCH = 0.8;
/**
 * Weight of a query term the FAQ has never seen, as a share of the rarest known term's weight.
 * Unknown content words weigh fully (they are why "return of the king movie" is not about returns);
 * lone Chinese characters and numbers are weak evidence either way (算, 7, an order number).
 */
const UNKNOWN_WEIGHT = { word: 1, han: 1, hanChar: 0.3, number: 0.15, short: 0.3, light: 0.3 } as const;
/** Field occurrences of a term counted towards breaking a tie between two answers. */
const MAX_TIE_TF = 3;
/** Most distinct terms analysed per query. */
const MAX_QUERY_TERMS = 64;
/** Longest text of an entry field analysed (a shop's answer may be long; its index stays bounded). */
const MAX_FIELD_LENGTH = 10_000;
/** Longest keyword phrase, in characters, taught to the segmenter. */
const MAX_PHRASE_LENGTH = 12;
/** What a word costs when a run of Chinese is split (see `regroup`). */
const SPLIT_COST = { word: 1, loneSegment: 1.2, cutCharacter: 1.5 } as const;

/** Phrases of the FAQ that ICU's dictionary does not know as words. */
interface Lexicon {
  readonly phrases: ReadonlySet<string>;
  /** Length of the longest phrase, in characters. */
  readonly longest: number;
}

const HAN = /\p{Script=Han}/u;

/**
 * Terms of a text as the index sees them without its keyword phrases: words by `Intl.Segmenter`
 * (so Chinese is split into words, not bytes), folded (NFKC: full-width letters become ASCII; lower
 * case; traditional characters simplified; English stems), stop words, punctuation and emoji
 * dropped, plus the character bigrams of longer Chinese words. `locale` is accepted for
 * compatibility: the analysis is the same for every locale, so that index and query always agree.
 *
 * @example
 * faqTerms('我的包裹😭') // ['包裹']
 * faqTerms('ＲＥＦＵＮＤＳ, please!') // ['refund']
 */
export function faqTerms(text: string, _locale = 'zh-CN'): string[] {
  const terms = new Set<string>();
  for (const t of tokenize(normalizeFaqText(text, MAX_FIELD_LENGTH))) {
    if (isStopWord(t.text)) continue;
    terms.add(termOf(t));
    if (t.kind === 'han') for (const b of bigrams(t.text)) terms.add(b);
  }
  return [...terms];
}

/** A query term, and how it is allowed to match. */
interface Unit {
  /** The index key: stemmed for English. */
  readonly term: string;
  /** The folded word as typed. */
  readonly text: string;
  readonly kind: 'word' | 'han' | 'hanChar' | 'number';
}

/** How a term occurs in one answer: its best field weight, in how many fields, and whether in a question or keyword. */
interface Posting {
  weight: number;
  tf: number;
  strong: boolean;
}
/** Postings: term → concept index → occurrence. */
type Postings = Map<string, Map<number, Posting>>;
/** Match quality in [0, 1] and field occurrences, per concept. */
type Matches = Map<number, Posting>;

/** Entries that share an id: one answer, in one or more languages. */
interface Concept {
  readonly entries: FaqEntry[];
}

/**
 * An offline, in-memory search over FAQ entries that meets buyers where they type: Chinese by word
 * segmentation, English by stems with typo tolerance, traditional characters, full-width letters,
 * emoji and mixed Chinese–English lines. Build it once per FAQ; `search` is cheap (queries are cut
 * to 500 characters, typo matching compares only words of near length).
 *
 * Entries sharing an `id` are one answer in several languages: a query may match any translation
 * ("refund 多久到账" meets both), and a hit returns the translation the query is written in.
 * A question the FAQ does not cover returns no hit at all — callers offer a person instead.
 *
 * @example
 * const faq = createFaqIndex(entries)
 * const [best] = faq.search('包裹到哪裡了', { locale: 'zh-CN' })
 * if (best) reply(best.entry.answer); else offerHandoff()
 */
export function createFaqIndex(entries: readonly FaqEntry[]) {
  const concepts: Concept[] = [];
  const conceptOf = new Map<string, number>();
  for (const entry of entries) {
    let c = conceptOf.get(entry.id);
    if (c === undefined) conceptOf.set(entry.id, (c = concepts.push({ entries: [] }) - 1));
    concepts[c]!.entries.push(entry);
  }

  // Every field of every entry, segmented once.
  const fields = concepts.flatMap((concept, c) =>
    concept.entries.flatMap((entry, slot) =>
      [
        { kind: 'question' as const, text: entry.question },
        ...(entry.keywords ?? []).map((text) => ({ kind: 'keyword' as const, text })),
        { kind: 'answer' as const, text: entry.answer },
      ].map(({ kind, text }) => ({ kind, weight: FIELD_WEIGHT[kind], concept: c, slot, tokens: tokenize(normalizeFaqText(text, MAX_FIELD_LENGTH)) })),
    ),
  );

  // Words that ICU's dictionary does not know come out in pieces (催发货 → 催|发|货, 客服 → 客|服).
  // Keyword phrases, and runs of lone characters in questions and keywords, are taught back as
  // words, so the query 客服电话 is two terms, not three.
  const phrases = new Set<string>();
  for (const field of fields) {
    if (field.kind === 'answer') continue;
    for (const run of hanRuns(field.tokens)) {
      const text = run.map((t) => t.text).join('');
      if (field.kind === 'keyword' && run.length > 1 && [...text].length <= MAX_PHRASE_LENGTH) phrases.add(text);
      for (const piece of loneCharacterRuns(run)) phrases.add(piece);
    }
  }
  let longest = 0;
  for (const phrase of phrases) longest = Math.max(longest, [...phrase].length);
  const lexicon: Lexicon = { phrases, longest };
  const phrasesByFirstChar = new Map<string, string[]>();
  for (const phrase of phrases) {
    const list = phrasesByFirstChar.get(phrase[0]!);
    if (list) list.push(phrase);
    else phrasesByFirstChar.set(phrase[0]!, [phrase]);
  }

  const terms: Postings = new Map();
  const pairs: Postings = new Map();
  // What each translation says, to pick the one the query was written in.
  const vocabularies = concepts.map((concept) => concept.entries.map(() => new Set<string>()));
  for (const { tokens, weight, concept, slot } of fields) {
    // The segments, the phrases they regroup into, and any keyword phrase the entry's own text
    // contains are all terms: 运费 finds 运费险, and 退货 finds 退货运费 although ICU splits that
    // one as 退|货运|费.
    const fieldTerms = new Set<string>();
    for (const t of tokens) if (!isStopWord(t.text)) fieldTerms.add(termOf(t));
    for (const unit of analyse(tokens, lexicon)) fieldTerms.add(unit.term);
    const fieldPairs = new Set<string>();
    for (const run of hanRuns(tokens)) {
      const chars = run.map((t) => t.text).join('');
      for (const b of bigrams(chars)) fieldPairs.add(b);
      for (let i = 0; i < chars.length; i++) {
        for (const phrase of phrasesByFirstChar.get(chars[i]!) ?? []) if (chars.startsWith(phrase, i)) fieldTerms.add(phrase);
      }
    }
    for (const term of fieldTerms) post(terms, term, concept, weight);
    for (const pair of fieldPairs) post(pairs, pair, concept, weight);
    const vocabulary = vocabularies[concept]![slot]!;
    for (const key of [...fieldTerms, ...fieldPairs]) vocabulary.add(key);
  }

  // Latin vocabulary by length, so a typo is compared only with words it could be one edit from.
  const wordsByLength = new Map<number, string[]>();
  for (const term of terms.keys()) {
    if (HAN.test(term) || /^\p{Nd}+$/u.test(term)) continue;
    const list = wordsByLength.get(term.length);
    if (list) list.push(term);
    else wordsByLength.set(term.length, [term]);
  }

  const n = concepts.length;
  const idf = (df: number) => Math.log(1 + n / df);
  const rarest = idf(1);

  /**
   * Which concepts a unit matches, how well (in [0, 1]) and how often; and through which index keys
   * (the term itself, the typo's corrections, the Chinese word's character pairs).
   */
  function matchesOf(unit: Unit): { matches: Matches; via: string[] } {
    const exact = terms.get(unit.term);
    if (exact) return { matches: exact, via: [unit.term] };
    if (unit.kind === 'han') return partialHan(unit.term);
    if (unit.kind === 'word') return typo(unit.term);
    return { matches: new Map(), via: [] };
  }

  /** A Chinese word no entry has as a word: the share of its character pairs an entry has, reduced. */
  function partialHan(term: string): { matches: Matches; via: string[] } {
    const grams = bigrams(term);
    const out: Matches = new Map();
    for (const g of grams) {
      for (const [c, p] of pairs.get(g) ?? []) {
        const sum = out.get(c) ?? { weight: 0, tf: 0, strong: false };
        out.set(c, { weight: sum.weight + (PARTIAL_MATCH * p.weight) / grams.length, tf: Math.max(sum.tf, p.tf), strong: sum.strong || p.strong });
      }
    }
    return { matches: out, via: grams };
  }

  /** An English word no entry has: entries with a word within its typo allowance, reduced by distance. */
  function typo(term: string): { matches: Matches; via: string[] } {
    const allowance = typoAllowance(term);
    const out: Matches = new Map();
    const via: string[] = [];
    if (allowance === 0) return { matches: out, via };
    for (let len = term.length - allowance; len <= term.length + allowance; len++) {
      for (const candidate of wordsByLength.get(len) ?? []) {
        const d = boundedDamerau(term, candidate, allowance);
        if (d > allowance) continue;
        via.push(candidate);
        for (const [c, p] of terms.get(candidate)!) {
          const weight = p.weight * TYPO_MATCH[d as 1 | 2];
          if (weight > (out.get(c)?.weight ?? 0)) out.set(c, { weight, tf: p.tf, strong: p.strong });
        }
      }
    }
    return { matches: out, via };
  }

  function unknownWeight(unit: Unit): number {
    if (isLightWord(unit.text) || isLightWord(unit.term)) return UNKNOWN_WEIGHT.light * rarest;
    if (unit.kind === 'word' && unit.term.length < 3) return UNKNOWN_WEIGHT.short * rarest;
    return UNKNOWN_WEIGHT[unit.kind] * rarest;
  }

  return {
    search(query: string, { locale, limit = 5, threshold = FAQ_DEFAULT_THRESHOLD }: FaqSearchOptions = {}): FaqHit[] {
      if (n === 0 || limit <= 0) return [];
      const normalized = normalizeFaqText(query, FAQ_MAX_QUERY_LENGTH);
      const units = analyse(tokenize(normalized), lexicon).slice(0, MAX_QUERY_TERMS);
      if (units.length === 0) return [];

      let total = 0;
      const covered = new Float64Array(n);
      const tieBreak = new Float64Array(n);
      const matched: string[][] = Array.from({ length: n }, () => []);
      // Per concept, the weight each translation covers by itself.
      const byTranslation = new Map<number, Float64Array>();
      for (const unit of units) {
        const found = matchesOf(unit);
        const matches = focus(found.matches);
        const weight = matches.size > 0 ? idf(matches.size) : unknownWeight(unit);
        total += weight;
        for (const [c, m] of matches) {
          covered[c]! += weight * m.weight;
          tieBreak[c]! += weight * Math.min(m.tf, MAX_TIE_TF);
          matched[c]!.push(unit.text);
          const translations = vocabularies[c]!;
          let cover = byTranslation.get(c);
          if (!cover) byTranslation.set(c, (cover = new Float64Array(translations.length)));
          translations.forEach((vocabulary, slot) => {
            if (found.via.some((key) => vocabulary.has(key))) cover[slot]! += weight;
          });
        }
      }

      const prefer = preference(normalized, locale);
      const hits: (FaqHit & { tier: number; tf: number; order: number })[] = [];
      for (let c = 0; c < n; c++) {
        // Rounded so that float noise never decides between two answers or against the threshold.
        const score = total > 0 ? Math.round((covered[c]! / total) * 1e9) / 1e9 : 0;
        if (score < threshold || score === 0) continue;
        const { entry, tier } = pick(concepts[c]!.entries, byTranslation.get(c)!, prefer);
        hits.push({ entry, score, matched: matched[c]!, tier, tf: tieBreak[c]!, order: c });
      }
      // Equal scores: the answer that uses the query's words in more places (question, keywords,
      // answer) is the more specific one; then the FAQ's own order.
      return hits
        .sort((a, b) => b.tier - a.tier || b.score - a.score || b.tf - a.tf || a.order - b.order)
        .slice(0, limit)
        .map(({ entry, score, matched }) => ({ entry, score, matched }));
    },
  };
}

export type FaqIndex = ReturnType<typeof createFaqIndex>;

/**
 * The query terms of a token list: stop words dropped, English stemmed, and each run of Chinese
 * segments regrouped so that keyword phrases come out whole (催|发|货 → 催发货), preferring fewer and
 * longer words (什么时候|发货 over 什么时候发|货).
 */
function analyse(tokens: readonly Token[], lexicon: Lexicon): Unit[] {
  const units = new Map<string, Unit>();
  const add = (term: string, text: string, kind: Unit['kind']) => {
    if (!isStopWord(text) && !isStopWord(term) && !units.has(term)) units.set(term, { term, text, kind });
  };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === 'word') {
      add(termOf(t), t.text, 'word');
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.kind !== 'word' && tokens[j]!.start === tokens[j - 1]!.end) j++;
    for (const word of regroup(tokens.slice(i, j), lexicon)) {
      add(word, word, /^\p{Nd}+$/u.test(word) ? 'number' : [...word].length === 1 ? 'hanChar' : 'han');
    }
    i = j;
  }
  return [...units.values()];
}

function post(postings: Postings, term: string, concept: number, weight: number): void {
  let row = postings.get(term);
  if (!row) postings.set(term, (row = new Map()));
  const p = row.get(concept);
  if (p) {
    p.weight = Math.max(p.weight, weight);
    p.tf++;
    p.strong ||= weight > FIELD_WEIGHT.answer;
  } else row.set(concept, { weight, tf: 1, strong: weight > FIELD_WEIGHT.answer });
}

/**
 * A word that some entry asks about (in its question or keywords) is evidence for that entry, not
 * for the entries that merely mention it in an answer: 客服 in "客服电话" points at the service-hours
 * entry, not at the address entry whose answer says "联系人工客服".
 */
function focus(matches: Matches): Matches {
  let strong = false;
  for (const m of matches.values()) if (m.strong) strong = true;
  if (!strong) return matches;
  const out: Matches = new Map();
  for (const [c, m] of matches) if (m.strong) out.set(c, m);
  return out;
}

/**
 * Best split of a run of adjacent Chinese (and digit) segments into words: ICU's segments, the FAQ's
 * phrases wherever they occur in the run (退|货运|费|险 holds 退货 and 运费险), and, where a phrase
 * cuts a segment, the characters left over. Fewest words win; a lone segment of one character costs
 * a little more, a character cut out of a longer segment more again, so ICU's split stands unless a
 * phrase improves on it.
 */
function regroup(run: readonly Token[], lexicon: Lexicon): string[] {
  if (lexicon.phrases.size === 0 || (run.length === 1 && !lexicon.phrases.has(run[0]!.text))) return run.map((t) => t.text);
  const chars = [...run.map((t) => t.text).join('')];
  const length = chars.length;
  const segmentEnd = new Int32Array(length).fill(-1);
  let at = 0;
  for (const t of run) {
    const n = [...t.text].length;
    segmentEnd[at] = at + n;
    at += n;
  }
  // cost[i]: cheapest split of chars[i..]; next[i]: where its first word ends.
  const cost = new Float64Array(length + 1).fill(Infinity);
  const next = new Int32Array(length + 1);
  cost[length] = 0;
  for (let i = length - 1; i >= 0; i--) {
    const consider = (end: number, price: number) => {
      if (price + cost[end]! < cost[i]!) {
        cost[i] = price + cost[end]!;
        next[i] = end;
      }
    };
    const end = segmentEnd[i]!;
    if (end > 0) consider(end, end - i === 1 ? SPLIT_COST.loneSegment : SPLIT_COST.word);
    let word = chars[i]!;
    for (let j = i + 2; j <= Math.min(length, i + lexicon.longest); j++) {
      word += chars[j - 1]!;
      if (lexicon.phrases.has(word)) consider(j, SPLIT_COST.word);
    }
    consider(i + 1, SPLIT_COST.cutCharacter);
  }
  const words: string[] = [];
  for (let i = 0; i < length; i = next[i]!) words.push(chars.slice(i, next[i]).join(''));
  return words;
}

/** Maximal runs of adjacent Chinese segments (digits inside a run belong to it: 7天无理由). */
function hanRuns(tokens: readonly Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  for (const t of tokens) {
    const joins = t.kind !== 'word' && run.length > 0 && run[run.length - 1]!.end === t.start;
    if (!joins) {
      if (run.some((r) => r.kind === 'han')) runs.push(run);
      run = [];
    }
    if (t.kind !== 'word') run.push(t);
  }
  if (run.some((r) => r.kind === 'han')) runs.push(run);
  return runs;
}

/** Adjacent one-character segments (2 to 4 of them, stop words excluded) joined: 退|货 → 退货. */
function loneCharacterRuns(run: readonly Token[]): string[] {
  const out: string[] = [];
  let piece = '';
  for (const t of [...run, undefined]) {
    if (t && t.kind === 'han' && [...t.text].length === 1 && !isStopWord(t.text)) {
      piece += t.text;
      continue;
    }
    const length = [...piece].length;
    if (length >= 2 && length <= 4) out.push(piece);
    piece = '';
  }
  return out;
}

function bigrams(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

interface Preference {
  readonly tag?: string;
  readonly lang?: string;
  /** The query has Chinese in it: its writer reads Chinese, even in a line mostly English. */
  readonly chinese: boolean;
}

/** The locale whose entries rank first: Chinese for a query with Chinese in it, else the caller's. */
function preference(normalizedQuery: string, locale: string | undefined): Preference {
  const tag = locale?.toLowerCase();
  const lang = tag?.split(/[-_]/)[0];
  const chinese = HAN.test(normalizedQuery);
  if (chinese && lang !== 'zh') return { lang: 'zh', chinese };
  return { tag, lang, chinese };
}

/**
 * The translation to show. For a query with Chinese in it, the Chinese one ("我的parcel到哪了" is
 * written by someone who reads Chinese). Otherwise the one whose own words cover most of the query
 * (a buyer who writes English reads the English answer, whatever the widget's locale), and between
 * equals the preferred locale's. Then the first.
 */
function pick(entries: readonly FaqEntry[], cover: Float64Array, prefer: Preference): { entry: FaqEntry; tier: number } {
  const ranked = entries.map((entry, slot) => {
    const tag = entry.locale.toLowerCase();
    const tier = prefer.tag === tag ? 2 : prefer.lang !== undefined && prefer.lang === tag.split(/[-_]/)[0] ? 1 : 0;
    // Covered weight, rounded so that float noise does not pass for a difference.
    return { entry, tier, covers: Math.round(cover[slot]! * 1e6), slot };
  });
  ranked.sort((a, b) =>
    prefer.chinese ? b.tier - a.tier || b.covers - a.covers || a.slot - b.slot : b.covers - a.covers || b.tier - a.tier || a.slot - b.slot,
  );
  return ranked[0]!;
}
