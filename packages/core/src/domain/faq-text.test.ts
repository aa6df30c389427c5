import { describe, expect, it } from 'vitest';
import { boundedDamerau, typoAllowance } from './faq-fuzzy.js';
import { HANT_PAIR_COUNT, hantTable, toSimplified } from './faq-hant.js';
import { FAQ_MAX_QUERY_LENGTH, clip, normalizeFaqText, stem, tokenize } from './faq-text.js';

describe('toSimplified', () => {
  it('folds the traditional characters of commerce support to simplified ones', () => {
    expect(toSimplified('退貨')).toBe('退货');
    expect(toSimplified('運費險')).toBe('运费险');
    expect(toSimplified('包裹到哪裡了')).toBe('包裹到哪里了');
    expect(toSimplified('請問發票怎麼開？帳戶餘額')).toBe('请问发票怎么开？账户余额');
  });

  it('leaves simplified text, Latin text and emoji unchanged', () => {
    expect(toSimplified('退款多久到账？refund 😭')).toBe('退款多久到账？refund 😭');
  });

  it('is a one-character-to-one-character table of a few hundred pairs, and folding is idempotent', () => {
    const table = hantTable();
    expect(table.size).toBe(HANT_PAIR_COUNT);
    expect(HANT_PAIR_COUNT).toBeGreaterThan(200);
    expect(HANT_PAIR_COUNT).toBeLessThanOrEqual(400);
    for (const [from, to] of table) {
      expect([from.length, to.length, from === to]).toEqual([1, 1, false]);
      // No simplified character is itself rewritten: folding twice changes nothing more.
      expect(table.has(to), `${from}→${to}: ${to} is also a source`).toBe(false);
    }
  });
});

describe('normalizeFaqText', () => {
  it('makes full-width letters and digits half-width and lower case', () => {
    expect(normalizeFaqText('ＲＥＦＵＮＤ ７天')).toBe('refund 7天');
  });

  it('folds traditional characters and typographic apostrophes', () => {
    expect(normalizeFaqText('I Don’t want 退貨')).toBe("i don't want 退货");
  });

  it(`keeps only the first ${FAQ_MAX_QUERY_LENGTH} characters`, () => {
    expect(normalizeFaqText('a'.repeat(10_000))).toHaveLength(FAQ_MAX_QUERY_LENGTH);
  });

  it('never cuts an emoji in half', () => {
    const text = `${'a'.repeat(FAQ_MAX_QUERY_LENGTH - 1)}😭`;
    expect(clip(text, FAQ_MAX_QUERY_LENGTH)).toBe('a'.repeat(FAQ_MAX_QUERY_LENGTH - 1));
  });
});

describe('tokenize', () => {
  it('splits Chinese into dictionary words with Intl.Segmenter, not into bytes or characters', () => {
    expect(tokenize('我的包裹到哪了').map((t) => t.text)).toEqual(['我的', '包裹', '到', '哪', '了']);
  });

  it('drops punctuation, spaces and emoji, and splits Chinese from English in a mixed line', () => {
    expect(tokenize('我的parcel到哪了？😭').map((t) => [t.text, t.kind])).toEqual([
      ['我的', 'han'],
      ['parcel', 'word'],
      ['到', 'han'],
      ['哪', 'han'],
      ['了', 'han'],
    ]);
  });

  it('marks numbers and strips accents from Latin words', () => {
    expect(tokenize('café 48').map((t) => [t.text, t.kind])).toEqual([
      ['cafe', 'word'],
      ['48', 'number'],
    ]);
  });

  it('reads a keycap emoji as its digit and drops other emoji even where ICU calls them words', () => {
    expect(tokenize('1️⃣ refund ©️ 🙏🏻').map((t) => [t.text, t.kind])).toEqual([
      ['1', 'number'],
      ['refund', 'word'],
    ]);
  });
});

describe('stem', () => {
  it.each([
    ['parcels', 'parcel'],
    ['refunds', 'refund'],
    ['returns', 'return'],
    ['returned', 'return'],
    ['returning', 'return'],
    ['shipped', 'ship'],
    ['shipping', 'ship'],
    ['tracking', 'track'],
    ['replies', 'reply'],
    ['boxes', 'box'],
    ['addresses', 'address'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('gives every form of a word ending in a silent e one key', () => {
    expect(new Set(['change', 'changes', 'changed', 'changing'].map(stem)).size).toBe(1);
  });

  it('leaves words that only look plural, short words and non-ASCII words alone', () => {
    expect(['address', 'status', 'bus', 'ups', 'café'].map(stem)).toEqual(['address', 'status', 'bus', 'ups', 'café']);
  });
});

describe('boundedDamerau', () => {
  it('counts a swap of two neighbours as one edit', () => {
    expect(boundedDamerau('refnud', 'refund', 1)).toBe(1);
    expect(boundedDamerau('parcle', 'parcel', 1)).toBe(1);
  });

  it('counts insertions, deletions and substitutions', () => {
    expect(boundedDamerau('adress', 'address', 2)).toBe(1);
    expect(boundedDamerau('addresss', 'address', 2)).toBe(1);
    expect(boundedDamerau('dilevery', 'delivery', 2)).toBe(2);
  });

  it('stops at max + 1 instead of computing a larger distance', () => {
    expect(boundedDamerau('parcel', 'pencil', 1)).toBe(2);
    expect(boundedDamerau('a', 'abcdefgh', 2)).toBe(3);
    expect(boundedDamerau('x'.repeat(400), 'y'.repeat(400), 2)).toBe(3);
  });

  it('allows no typo below 4 characters, one up to 7, two from 8', () => {
    expect([3, 4, 7, 8, 12].map((n) => typoAllowance('x'.repeat(n)))).toEqual([0, 1, 1, 2, 2]);
  });
});
