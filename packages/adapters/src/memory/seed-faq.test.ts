import { describe, expect, it } from 'vitest';
import { FAQ_DEFAULT_THRESHOLD, createFaqIndex } from '@xiaoer/core/faq';
import { DEMO_FAQ } from './seed.js';

/*
 * The labelled set that FAQ_DEFAULT_THRESHOLD is tuned on: realistic buyer questions against the
 * demo shop's FAQ (DEMO_FAQ, in @xiaoer/adapters' memory backend), each with the answer it must get
 * or `null` when the FAQ does not cover it and the bot must say "not sure".
 */

type Category =
  | 'zh'
  | 'zh slang'
  | 'traditional'
  | 'en'
  | 'en typo'
  | 'en word forms'
  | 'mixed zh/en'
  | 'full-width / emoji'
  | 'not covered'
  | 'hard negative';

/** [category, query, expected entry id or null, locale the widget is in] */
type Case = readonly [Category, string, string | null, ('zh-CN' | 'en')?];

const CASES: readonly Case[] = [
  ['zh', '我的包裹到哪了', 'track-parcel'],
  ['zh', '怎么查物流', 'track-parcel'],
  ['zh', '快递到哪了', 'track-parcel'],
  ['zh', '物流一直不更新', 'track-parcel'],
  ['zh', '运单号在哪看', 'track-parcel'],
  ['zh', '下单后多久发货', 'shipping-time'],
  ['zh', '怎么还不发货', 'shipping-time'],
  ['zh', '今天能发货吗', 'shipping-time'],
  ['zh', '地址填错了怎么改', 'change-address'],
  ['zh', '退货运费谁出', 'shipping-insurance'],
  ['zh', '退货要自己出运费吗', 'shipping-insurance'],
  ['zh', '不想要了可以退吗', 'return-policy'],
  ['zh', '退款多久到账', 'refund-time'],
  ['zh', '钱什么时候退回来', 'refund-time'],
  ['zh', '衣服小了能换吗', 'exchange'],
  ['zh', '拍错了怎么取消', 'cancel-order'],
  ['zh', '发票怎么开', 'invoice'],
  ['zh', '收到的东西坏了', 'damaged-item'],
  ['zh', '快递压坏了', 'damaged-item'],
  ['zh', '人工客服几点上班', 'service-hours'],
  ['zh slang', '催发货', 'shipping-time'],
  ['zh slang', '仅退款', 'refund-time'],
  ['zh slang', '运费险', 'shipping-insurance'],
  ['zh slang', '有运费险吗', 'shipping-insurance'],
  ['zh slang', '7天无理由', 'return-policy'],
  ['zh slang', '七天无理由退货', 'return-policy'],
  ['zh slang', '退货退款', 'return-policy'],
  ['zh slang', '改地址', 'change-address'],
  ['zh slang', '转人工', 'service-hours'],
  ['traditional', '包裹到哪裡了', 'track-parcel'],
  ['traditional', '我的包裹怎麼還沒到', 'track-parcel'],
  ['traditional', '退貨', 'return-policy'],
  ['traditional', '運費險', 'shipping-insurance'],
  ['traditional', '收貨地址能修改嗎', 'change-address'],
  ['traditional', '發票怎麼開', 'invoice'],
  ['traditional', '換尺碼', 'exchange'],
  ['traditional', '請問可以換顏色嗎', 'exchange'],
  ['en', 'where is my parcel', 'track-parcel', 'en'],
  ['en', 'track my order', 'track-parcel', 'en'],
  ['en', 'tracking number', 'track-parcel', 'en'],
  ['en', 'when will my order ship', 'shipping-time', 'en'],
  ['en', 'how soon do you dispatch', 'shipping-time', 'en'],
  ['en', 'wrong address', 'change-address', 'en'],
  ['en', 'can I return it', 'return-policy', 'en'],
  ['en', 'who pays return shipping', 'shipping-insurance', 'en'],
  ['en', 'return postage', 'shipping-insurance', 'en'],
  ['en', 'wrong size', 'exchange', 'en'],
  ['en', 'can I swap for a bigger size', 'exchange', 'en'],
  ['en', 'cancel my order', 'cancel-order', 'en'],
  ['en', 'I need an invoice', 'invoice', 'en'],
  ['en', 'item arrived broken', 'damaged-item', 'en'],
  ['en', 'talk to a real person', 'service-hours', 'en'],
  ['en', 'customer service hours', 'service-hours', 'en'],
  // English in a zh-CN widget still gets the English answer.
  ['en', 'Where is my parcel?', 'track-parcel'],
  ['en', 'refund', 'refund-time'],
  ['en typo', 'refnud', 'refund-time', 'en'],
  ['en typo', 'Where is my parcle?', 'track-parcel', 'en'],
  ['en typo', 'I need to change my adress', 'change-address', 'en'],
  ['en typo', 'adress', 'change-address', 'en'],
  ['en typo', 'cancle order', 'cancel-order', 'en'],
  ['en typo', 'invoce', 'invoice', 'en'],
  ['en typo', 'when will I recieve my refund', 'refund-time', 'en'],
  ['en word forms', 'parcels', 'track-parcel', 'en'],
  ['en word forms', 'returning an item', 'return-policy', 'en'],
  ['en word forms', 'returned items', 'return-policy', 'en'],
  ['en word forms', 'how long do refunds take', 'refund-time', 'en'],
  ['en word forms', 'shipped yet?', 'shipping-time', 'en'],
  ['mixed zh/en', '我的parcel到哪了', 'track-parcel'],
  ['mixed zh/en', 'refund 多久到账', 'refund-time'],
  ['mixed zh/en', 'refund 多久到账', 'refund-time', 'en'],
  ['mixed zh/en', 'return 运费谁出', 'shipping-insurance'],
  ['mixed zh/en', '怎么 track 订单', 'track-parcel'],
  ['mixed zh/en', '我想 cancel 订单', 'cancel-order'],
  ['full-width / emoji', 'ＲＥＦＵＮＤ', 'refund-time', 'en'],
  ['full-width / emoji', 'ｔｒａｃｋ ｍｙ ｐａｒｃｅｌ', 'track-parcel', 'en'],
  ['full-width / emoji', '退款😭', 'refund-time'],
  ['full-width / emoji', '催发货🙏🙏', 'shipping-time'],
  ['full-width / emoji', 'where is my parcel 😡', 'track-parcel', 'en'],
  ['full-width / emoji', '退款退款退款'.repeat(400), 'refund-time'],
  ['not covered', 'do you sell bicycles on Mars', null, 'en'],
  ['not covered', '今天天气怎么样', null],
  ['not covered', 'asdfgh', null, 'en'],
  ['not covered', '', null],
  ['not covered', '？？？', null],
  ['not covered', '😭😭😭', null],
  ['not covered', 'hello', null, 'en'],
  ['not covered', 'what is the meaning of life', null, 'en'],
  ['not covered', 'how to make a cake', null, 'en'],
  ['not covered', 'is this product waterproof', null, 'en'],
  ['not covered', 'can I pay with paypal', null, 'en'],
  ['not covered', '你们老板是谁', null],
  ['not covered', '我想买一台电脑', null],
  ['not covered', '优惠券怎么用', null],
  ['not covered', '我要投诉', null],
  ['not covered', '手机壳有货吗', null],
  ['not covered', '密码忘了', null],
  ['not covered', 'x'.repeat(10_000), null, 'en'],
  // Each shares one word with an entry; answering from that entry would be confidently wrong.
  ['hard negative', 'return of the king movie', null, 'en'],
  ['hard negative', 'track and field shoes', null, 'en'],
  ['hard negative', 'ship to mars', null, 'en'],
  ['hard negative', 'shipping to europe', null, 'en'],
  ['hard negative', 'how much does shipping cost', null, 'en'],
  ['hard negative', 'change password', null, 'en'],
  // "return" and "address" each belong to a different entry, and no entry gives a return address.
  ['hard negative', 'return address', null, 'en'],
  // Asks what "address" means, not how to change one: decided "not sure" rather than the address answer.
  ['hard negative', '地址是什么意思', null],
  // The shop's own address, and where it ships from: the address entry is about the buyer's address.
  ['hard negative', '你们店铺地址在哪', null],
  ['hard negative', '发货地址是哪里', null],
  // Shipping cost is not covered; the insurance entry is about return postage.
  ['hard negative', '运费多少', null],
  // No phone number in the FAQ; the service-hours answer would not answer it.
  ['hard negative', '客服电话', null],
  ['hard negative', '退出登录', null],
];

const faq = createFaqIndex(DEMO_FAQ);
const HAN = /\p{Script=Han}/u;
const label = (q: string) => (q === '' ? '(empty)' : q.length > 24 ? `${q.slice(0, 24)}… (${q.length} chars)` : q);

describe('FAQ search on the labelled set (DEMO_FAQ)', () => {
  it.each(CASES.map(([category, query, expected, locale]) => ({ category, query, expected, locale: locale ?? 'zh-CN', name: label(query) })))(
    '[$category] $name ($locale) → $expected',
    ({ query, expected, locale }) => {
      const hits = faq.search(query, { locale });
      const candidates = faq
        .search(query, { locale, threshold: 0, limit: 3 })
        .map((h) => `${h.entry.id} ${h.score.toFixed(2)} [${h.matched.join(' ')}]`)
        .join('; ');
      expect(hits[0]?.entry.id ?? null, `top candidates: ${candidates || 'none'}`).toBe(expected);
      if (expected !== null) {
        // The answer comes in the language the buyer wrote: Chinese for a query with Chinese in it.
        expect(hits[0]!.entry.locale).toBe(HAN.test(query) ? 'zh-CN' : 'en');
      }
    },
  );

  it('is large and varied enough to tune a threshold on', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const categories = new Set(CASES.map(([c]) => c));
    expect(categories.size).toBe(10);
    expect(CASES.filter(([, , expected]) => expected === null).length).toBeGreaterThanOrEqual(20);
    expect(new Set(CASES.flatMap(([, , expected]) => (expected ? [expected] : []))).size).toBe(new Set(DEMO_FAQ.map((e) => e.id)).size);
  });

  it(`puts the default threshold (${FAQ_DEFAULT_THRESHOLD}) between every uncovered question and every covered one`, () => {
    const topScore = (query: string, locale = 'zh-CN') => faq.search(query, { locale, threshold: 0, limit: 1 })[0]?.score ?? 0;
    const negatives = CASES.filter(([, , e]) => e === null).map(([, q, , l]) => ({ q, score: topScore(q, l) }));
    const positives = CASES.filter(([, , e]) => e !== null).map(([, q, , l]) => ({ q, score: topScore(q, l) }));
    const worstNegative = negatives.reduce((a, b) => (b.score > a.score ? b : a));
    const worstPositive = positives.reduce((a, b) => (b.score < a.score ? b : a));
    const report = `best-scoring uncovered: ${label(worstNegative.q)} ${worstNegative.score.toFixed(3)}; worst-scoring covered: ${label(worstPositive.q)} ${worstPositive.score.toFixed(3)}`;
    expect(worstNegative.score, report).toBeLessThan(FAQ_DEFAULT_THRESHOLD);
    expect(worstPositive.score, report).toBeGreaterThanOrEqual(FAQ_DEFAULT_THRESHOLD);
  });
});
