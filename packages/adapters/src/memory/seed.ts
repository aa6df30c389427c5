import type { FaqEntry } from '@xiaoer/core';

/** The demo shop's bilingual FAQ: the bot answers from it, the help center searches it. */
export const DEMO_FAQ: readonly FaqEntry[] = [
  {
    id: 'shipping-time', locale: 'zh-CN', question: '下单后多久发货？',
    answer: '现货商品付款后 48 小时内发货，预售商品以商品页标注的时间为准。', keywords: ['发货', '几天发货', '催发货', '什么时候发'],
  },
  {
    id: 'shipping-time', locale: 'en', question: 'How soon do you ship after I order?',
    answer: 'In-stock items ship within 48 hours of payment; pre-orders ship on the date shown on the product page.', keywords: ['ship', 'dispatch', 'when will it ship'],
  },
  {
    id: 'track-parcel', locale: 'zh-CN', question: '我的包裹到哪了？怎么查物流？',
    answer: '在“我的订单”里选择订单即可查看物流轨迹，包括快递公司、运单号和每一站的时间地点。', keywords: ['物流', '快递', '查快递', '包裹', '运单号'],
  },
  {
    id: 'track-parcel', locale: 'en', question: 'Where is my parcel? How do I track my order?',
    answer: 'Open "My orders" and pick the order to see its tracking timeline: carrier, waybill number and every scan with time and place.', keywords: ['track', 'tracking', 'parcel', 'package', 'delivery', 'waybill'],
  },
  {
    id: 'change-address', locale: 'zh-CN', question: '怎么修改收货地址？',
    answer: '订单发货前可以在订单详情里修改收货地址；已发货的订单请联系快递或人工客服。', keywords: ['改地址', '地址填错', '收货地址'],
  },
  {
    id: 'change-address', locale: 'en', question: 'How do I change my delivery address?',
    answer: 'You can change the address in the order details until the order ships; after that, contact the carrier or a person here.', keywords: ['address', 'wrong address', 'change address'],
  },
  {
    id: 'return-policy', locale: 'zh-CN', question: '支持七天无理由退货吗？',
    answer: '签收后 7 天内，商品完好即可申请无理由退货；定制、生鲜和数字商品除外。', keywords: ['退货', '七天无理由', '7天无理由', '退换'],
  },
  {
    id: 'return-policy', locale: 'en', question: 'Can I return an item within 7 days?',
    answer: 'Within 7 days of delivery you can return an item in its original condition for any reason; custom-made, perishable and digital goods are excluded.', keywords: ['return', 'returns', 'no reason return', '7 day'],
  },
  {
    id: 'refund-time', locale: 'zh-CN', question: '退款多久到账？',
    answer: '商家确认后 1–3 个工作日原路退回；符合极速退款条件的订单会先行退款。', keywords: ['退款', '仅退款', '钱什么时候退', '极速退款'],
  },
  {
    id: 'refund-time', locale: 'en', question: 'How long does a refund take?',
    answer: 'Refunds reach your original payment method 1–3 business days after the merchant confirms; eligible orders get a fast refund first.', keywords: ['refund', 'money back', 'fast refund'],
  },
  {
    id: 'shipping-insurance', locale: 'zh-CN', question: '退货运费谁出？有运费险吗？',
    answer: '订单含退货运费险时，退货运费由保险赔付（最高 12 元）；质量问题退货运费由商家承担。', keywords: ['运费险', '退货运费', '邮费'],
  },
  {
    id: 'shipping-insurance', locale: 'en', question: 'Who pays for return shipping? Is there return-shipping insurance?',
    answer: 'If your order has return-shipping insurance it pays the return postage (up to ¥12); for quality problems the merchant pays.', keywords: ['return shipping', 'postage', 'insurance', 'shipping fee'],
  },
];

/** The demo shop's agents, as the buyer sees them. */
export const DEMO_AGENTS = [
  { id: 'agent-lin', name: 'Lin Xiao' },
  { id: 'agent-chen', name: 'Chen Yu' },
] as const;
