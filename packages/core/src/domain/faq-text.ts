import { toSimplified } from './faq-hant.js';

/**
 * Text analysis for the FAQ search: folding (width, case, traditional characters), word
 * segmentation, stop words and English stems. Index and query go through the same functions, so
 * whatever a buyer types meets the shop's wording on common ground.
 */

/** Longest query analysed, in UTF-16 code units; the rest is ignored so a huge paste costs no more. */
export const FAQ_MAX_QUERY_LENGTH = 500;

/** Cut to `max` code units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * The folded form of a text: NFKC (full-width letters and digits become ASCII, ① becomes 1), lower
 * case, typographic apostrophes made plain, traditional characters made simplified.
 *
 * @example
 * normalizeFaqText('ｒｅｆｕｎｄ 退貨') // 'refund 退货'
 */
export function normalizeFaqText(text: string, max = FAQ_MAX_QUERY_LENGTH): string {
  // Clip before and after NFKC: before, so a megabyte is never normalised; after, because NFKC can
  // lengthen a string (㍿ becomes four characters).
  const folded = clip(text, max).normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  return toSimplified(clip(folded, max));
}

/** What a token is made of; it decides how the token is matched. */
export type TokenKind = 'han' | 'number' | 'word';

export interface Token {
  readonly text: string;
  readonly kind: TokenKind;
  /** Index of the first code unit in the normalised text. */
  readonly start: number;
  readonly end: number;
}

const HAN = /\p{Script=Han}/u;
const DIGITS = /^\p{Nd}+$/u;
const MARKS = /[\p{M}\p{Cf}]/gu;
const LETTER = /\p{L}/u;

let wordSegmenter: Intl.Segmenter | undefined;
/**
 * One segmenter for every locale: ICU's word rules and its Chinese dictionary do not depend on the
 * locale, and a single segmenter guarantees the index and the query are split the same way.
 */
function segmenter(): Intl.Segmenter {
  return (wordSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' }));
}

/**
 * The word-like segments of normalised text, by `Intl.Segmenter` (Chinese by its dictionary, never
 * by bytes). Punctuation, spaces and emoji are not words and are dropped. Latin words lose their
 * accents (café → cafe).
 */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const { segment, index, isWordLike } of segmenter().segment(normalized)) {
    if (!isWordLike) continue;
    const end = index + segment.length;
    if (HAN.test(segment)) {
      tokens.push({ text: segment, kind: 'han', start: index, end });
      continue;
    }
    // Accents and emoji modifiers go (café → cafe, the keycap 1️⃣ → 1); what has no letter or digit left is not a word.
    const text = segment.normalize('NFD').replace(MARKS, '');
    if (DIGITS.test(text)) tokens.push({ text, kind: 'number', start: index, end });
    else if (LETTER.test(text)) tokens.push({ text, kind: 'word', start: index, end });
  }
  return tokens;
}

/**
 * Words that say nothing about which question is asked: pronouns, particles, question words,
 * greetings and politeness. Dropped from index and query alike. Question words that do carry the
 * question (多久 "how long", 几天, "long", "soon") are deliberately not here.
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  // English
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'i', "i'm", 'im', "i've", "i'd", 'my', 'me', 'mine',
  'we', 'our', 'us', 'you', 'your', 'yours', 'he', 'she', 'they', 'them', 'their', 'it', 'its', "it's", 'this', 'that', 'these', 'those',
  'there', 'here', 'to', 'do', 'does', 'did', 'done', 'doing', 'can', 'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'must',
  'how', 'what', "what's", 'where', "where's", 'when', 'why', 'which', 'who', 'of', 'for', 'in', 'on', 'at', 'by', 'with', 'from', 'into',
  'about', 'as', 'if', 'so', 'and', 'or', 'but', 'not', 'no', 'yes', 'please', 'pls', 'plz', 'thanks', 'thank', 'thx', 'hi', 'hello', 'hey',
  'dear', 'ok', 'okay', 'get', 'got', 'have', 'has', 'had', 'want', 'need', 'know', 'tell', 'let', 'just', 'still', 'yet', 'already',
  'any', 'some', 'all', 'very', 'really', "don't", "doesn't", "didn't", "can't", "won't", "isn't", "haven't", "hasn't", "wasn't", 'then',
  // Chinese (simplified; traditional text is folded before this list is consulted)
  '的', '了', '吗', '呢', '吧', '啊', '呀', '哦', '嗯', '哈', '么', '嘛', '啦', '哟', '喔', '我', '我的', '我们', '你', '你们', '您', '他', '她', '它',
  '是', '在', '有', '到', '哪', '哪里', '哪儿', '这', '那', '这个', '那个', '一下', '一个', '请', '请问', '麻烦', '帮', '帮我', '帮忙', '能',
  '能不能', '可以', '可不可以', '会', '要', '想', '就', '都', '还', '也', '和', '跟', '与', '给', '把', '被', '让', '怎么', '怎么样', '怎样',
  '如何', '什么', '啥', '咋', '你好', '您好', '谢谢', '亲', '在吗', '就是', '然后', '那么', '还是', '得', '地', '着', '过', '谁',
  '自己', '一直', '已经', '总是', '到底', '究竟', '为什么', '为啥', '我不',
]);

export function isStopWord(term: string): boolean {
  return STOP_WORDS.has(term);
}

/**
 * Words that usually sit around a question rather than make it: when, how urgent, "problem".
 * An entry that uses one still matches it normally; one the FAQ has never seen weighs little,
 * so "今天能发货吗" is still about shipping while "今天天气怎么样" is about nothing the shop covers.
 */
const LIGHT_WORDS: ReadonlySet<string> = new Set([
  'today', 'tomorrow', 'tonight', 'now', 'asap', 'urgent', 'problem', 'issue', 'question', 'thing', 'stuff', 'again',
  '今天', '明天', '后天', '昨天', '现在', '马上', '尽快', '赶紧', '快点', '急', '着急', '问题', '东西', '一下子', '又', '再',
]);

export function isLightWord(term: string): boolean {
  return LIGHT_WORDS.has(term);
}

const VOWEL = /[aeiouy]/;

/**
 * A light English stemmer: plural and verb endings folded so that "parcels", "returned",
 * "returning", "refunds" and "shipping" meet "parcel", "return", "refund" and "ship". It is not a
 * full Porter stemmer — it only has to map a word's forms to one key, the same on both sides.
 */
export function stem(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:x|ch|sh|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

  const base = w.endsWith('ing') ? w.slice(0, -3) : w.endsWith('ed') ? w.slice(0, -2) : undefined;
  if (base !== undefined && base.length >= 3 && VOWEL.test(base)) {
    // shipped → shipp → ship; but keep "ll", "ss", "zz" (called, missed): they are part of the word.
    w = /([b-df-hj-km-np-rtv-z])\1$/.test(base) && !/(?:ll|ss|zz)$/.test(base) ? base.slice(0, -1) : base;
  }
  // A final silent e goes, so "change", "changed" and "changing" all become "chang".
  if (w.length > 3 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** The index key of a token: stemmed for Latin words, as is for Chinese and numbers. */
export function termOf(token: Token): string {
  return token.kind === 'word' ? stem(token.text) : token.text;
}
