import { describe, expect, it } from 'vitest';
import { FAQ_DEFAULT_THRESHOLD, createFaqIndex, faqTerms, type FaqEntry } from './faq.js';

const FAQ: readonly FaqEntry[] = [
  { id: 'track', locale: 'zh-CN', question: '我的包裹到哪了？', answer: '在订单里查看物流轨迹。', keywords: ['物流', '快递'] },
  { id: 'track', locale: 'en', question: 'Where is my parcel?', answer: 'Open the order to see tracking.', keywords: ['track', 'delivery'] },
  { id: 'refund', locale: 'zh-CN', question: '退款多久到账？', answer: '1–3 个工作日原路退回。', keywords: ['退款', '仅退款'] },
  { id: 'refund', locale: 'en', question: 'How long does a refund take?', answer: 'One to three business days.', keywords: ['refund', 'money back'] },
  { id: 'insurance', locale: 'zh-CN', question: '有运费险吗？', answer: '订单含运费险时由保险赔付退货运费。', keywords: ['运费险', '催发货'] },
  { id: 'address', locale: 'en', question: 'How do I change my address?', answer: 'In the order details, before it ships.', keywords: ['wrong address'] },
];
const faq = createFaqIndex(FAQ);
const top = (query: string, locale = 'zh-CN') => faq.search(query, { locale })[0];
const topId = (query: string, locale = 'zh-CN') => top(query, locale)?.entry.id ?? null;

describe('createFaqIndex().search', () => {
  it('finds a Chinese question by its words', () => {
    expect(topId('包裹到哪了')).toBe('track');
    expect(topId('怎么查物流')).toBe('track');
  });

  it('finds simplified entries from traditional characters', () => {
    expect(topId('包裹到哪裡了')).toBe('track');
    expect(topId('運費險')).toBe('insurance');
    expect(topId('退款多久到賬')).toBe('refund');
  });

  it('finds entries from full-width letters and ignores emoji', () => {
    expect(topId('ｒｅｆｕｎｄ', 'en')).toBe('refund');
    expect(topId('退款😭😭')).toBe('refund');
  });

  it('matches plurals and verb forms through the stemmer', () => {
    expect(topId('parcels', 'en')).toBe('track');
    expect(topId('refunds', 'en')).toBe('refund');
    expect(topId('tracking my parcels', 'en')).toBe('track');
    expect(topId('changing the address', 'en')).toBe('address');
  });

  it('keeps keyword phrases whole although the segmenter splits them (催|发|货)', () => {
    const hit = top('催发货');
    expect(hit?.entry.id).toBe('insurance');
    expect(hit?.matched).toEqual(['催发货']);
  });

  it('matches English typos at a reduced weight', () => {
    const exact = top('refund', 'en')!;
    const typo = top('refnud', 'en')!;
    expect(typo.entry.id).toBe('refund');
    expect(typo.score).toBeLessThan(exact.score);
    expect(topId('parcle', 'en')).toBe('track');
    expect(topId('adress', 'en')).toBe('address');
  });

  it('allows two edits only for words of 8 letters or more', () => {
    expect(topId('dilevery', 'en')).toBe('track'); // 8 letters, 2 edits from "delivery"
    expect(topId('adrsess', 'en')).toBeNull(); // 7 letters, 2 edits from "address"
    expect(topId('rfnd', 'en')).toBeNull(); // 4 letters, 2 edits from "refund"
  });

  it('never applies typo tolerance to words shorter than 4 letters', () => {
    const index = createFaqIndex([{ id: 'a', locale: 'en', question: 'Is there a tax?', answer: '-' }]);
    expect(index.search('tax')).toHaveLength(1);
    expect(index.search('tac')).toEqual([]);
  });

  it('reads Chinese and English mixed in one line, matching across translations', () => {
    expect(topId('我的parcel到哪了')).toBe('track');
    const hit = top('refund 多久到账')!;
    expect(hit.entry).toMatchObject({ id: 'refund', locale: 'zh-CN' });
    expect(hit.score).toBe(1);
  });

  it('reports which words of the query each hit covered, folded but not stemmed', () => {
    expect(top('Tracking PARCELS?', 'en')?.matched).toEqual(['tracking', 'parcels']);
    expect(top('退貨運費險')?.matched).toContain('运费险');
  });

  describe('locale', () => {
    it('answers in the language the query is written in, whatever the widget locale', () => {
      expect(top('refund', 'en')?.entry.locale).toBe('en');
      expect(top('refund', 'zh-CN')?.entry.locale).toBe('en');
      expect(top('退款', 'en')?.entry.locale).toBe('zh-CN');
    });

    it('picks the translation in the requested locale when the query fits both equally', () => {
      const index = createFaqIndex([
        { id: 'vip', locale: 'zh-CN', question: 'VIP 会员有什么好处？', answer: '-' },
        { id: 'vip', locale: 'en', question: 'What does VIP get me?', answer: '-' },
      ]);
      expect(index.search('vip', { locale: 'zh-CN' })[0]?.entry.locale).toBe('zh-CN');
      expect(index.search('vip', { locale: 'en' })[0]?.entry.locale).toBe('en');
    });

    it('returns the Chinese entry for a Chinese query even when the locale says en', () => {
      expect(top('退款多久到账', 'en')?.entry).toMatchObject({ id: 'refund', locale: 'zh-CN' });
      expect(top('refund 多久到账', 'en')?.entry.locale).toBe('zh-CN');
    });

    it('matches the language when the region differs (zh-TW prefers zh-CN over en)', () => {
      const index = createFaqIndex([
        { id: 'vip', locale: 'en', question: 'What does VIP get me?', answer: '-' },
        { id: 'vip', locale: 'zh-CN', question: 'VIP 会员有什么好处？', answer: '-' },
      ]);
      expect(index.search('vip', { locale: 'zh-TW' })[0]?.entry.locale).toBe('zh-CN');
    });

    it("ranks entries of the query's locale before better-scoring entries of another", () => {
      const index = createFaqIndex([
        { id: 'en-only', locale: 'en', question: 'refund policy', answer: '-' },
        { id: 'zh-only', locale: 'zh-CN', question: '极速退款', answer: '-', keywords: ['refund fast'] },
      ]);
      const hits = index.search('refund policy', { locale: 'zh-CN', threshold: 0.3 });
      expect(hits.map((h) => h.entry.id)).toEqual(['zh-only', 'en-only']);
      expect(hits[1]!.score).toBeGreaterThan(hits[0]!.score);
    });

    it('returns one hit per answer, not one per translation', () => {
      const hits = faq.search('refund 退款', { threshold: 0 });
      expect(hits.filter((h) => h.entry.id === 'refund')).toHaveLength(1);
    });
  });

  describe('relevance threshold', () => {
    it.each([
      ['an empty query', ''],
      ['only spaces', '   '],
      ['only punctuation', '？？？!!!'],
      ['only emoji', '😭😭😭'],
      ['keyboard mash', 'asdfgh'],
      ['an off-topic English question', 'do you sell bicycles on Mars'],
      ['an off-topic Chinese question', '今天天气怎么样'],
      ['one shared word among unknown ones', 'return of the king movie'],
    ])('returns no hit for %s', (_name, query) => {
      expect(faq.search(query, { locale: 'en' })).toEqual([]);
      expect(faq.search(query, { locale: 'zh-CN' })).toEqual([]);
    });

    it('scores in [0, 1] and drops hits under the threshold it is given', () => {
      const all = faq.search('refund money tomorrow', { threshold: 0 });
      expect(all.length).toBeGreaterThan(0);
      for (const hit of all) {
        expect(hit.score).toBeGreaterThanOrEqual(0);
        expect(hit.score).toBeLessThanOrEqual(1);
      }
      const cut = all[0]!.score + 0.01;
      expect(faq.search('refund money tomorrow', { threshold: cut })).toEqual([]);
    });

    it(`uses ${FAQ_DEFAULT_THRESHOLD} when no threshold is given`, () => {
      const [best] = faq.search('refund policy', { threshold: 0 });
      expect(best!.score).toBeLessThan(FAQ_DEFAULT_THRESHOLD);
      expect(faq.search('refund policy')).toEqual([]);
    });

    it('honours limit', () => {
      expect(faq.search('refund track parcel 运费险', { threshold: 0, limit: 2 })).toHaveLength(2);
      expect(faq.search('refund', { limit: 0 })).toEqual([]);
    });
  });

  describe('bounded cost', () => {
    it('returns no hit, quickly, for a 10,000-character string', () => {
      const started = performance.now();
      expect(faq.search('x'.repeat(10_000))).toEqual([]);
      expect(faq.search('lorem ipsum dolor sit amet '.repeat(400))).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('reads only the first 500 characters of a query', () => {
      expect(topId(`${'。'.repeat(499)}退款`)).toBeNull();
      expect(topId(`退款${'。'.repeat(10_000)}`)).toBe('refund');
    });
  });

  it('returns nothing from an empty FAQ', () => {
    expect(createFaqIndex([]).search('refund')).toEqual([]);
  });
});

describe('faqTerms', () => {
  it('returns folded words, without stop words, punctuation or emoji', () => {
    expect(faqTerms('我的包裹😭')).toEqual(['包裹']);
    expect(faqTerms('ＲＥＦＵＮＤＳ, please!')).toEqual(['refund']);
  });

  it('adds the character bigrams of longer Chinese words', () => {
    const terms = faqTerms('七天无理由');
    expect(terms.filter((t) => [...t].length === 2)).toEqual(expect.arrayContaining(['理由']));
    for (const t of terms) expect(t).toMatch(/^\p{Script=Han}+$/u);
  });

  it('folds traditional characters', () => {
    expect(faqTerms('退貨')).toEqual(faqTerms('退货'));
  });
});
