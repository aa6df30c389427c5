import type { FaqEntry } from '@xiaoer/core';

/**
 * The demo shop's bilingual FAQ: the bot answers from it, the help center searches it. Entries that
 * share an id are one answer in two languages. Keywords carry the words buyers actually type —
 * slang (仅退款, 催发货), abbreviations, and phrasings the question does not use — and Chinese
 * keywords also teach the segmenter whole words (运费险, 7天无理由).
 */
export const DEMO_FAQ: readonly FaqEntry[] = [
  {
    id: 'shipping-time', locale: 'zh-CN', question: '下单后多久发货？',
    answer: '现货商品付款后 48 小时内发货，预售商品以商品页标注的时间为准。',
    keywords: ['发货', '几天发货', '催发货', '催单', '什么时候发', '什么时候发货', '还没发货', '不发货', '发货时间', '预售'],
  },
  {
    id: 'shipping-time', locale: 'en', question: 'How soon do you ship after I order?',
    answer: 'In-stock items ship within 48 hours of payment; pre-orders ship on the date shown on the product page.',
    keywords: ['ship', 'dispatch', 'when will it ship', 'not shipped yet', 'shipping time', 'send out', 'pre-order'],
  },
  {
    id: 'track-parcel', locale: 'zh-CN', question: '我的包裹到哪了？怎么查物流？',
    answer: '在“我的订单”里选择订单即可查看物流轨迹，包括快递公司、运单号和每一站的时间地点。',
    keywords: ['物流', '快递', '查快递', '查物流', '查订单', '订单物流', '包裹', '运单号', '快递单号', '物流信息', '物流不更新', '还没到', '没收到货'],
  },
  {
    id: 'track-parcel', locale: 'en', question: 'Where is my parcel? How do I track my order?',
    answer: 'Open "My orders" and pick the order to see its tracking timeline: carrier, waybill number and every scan with time and place.',
    keywords: ['track', 'tracking', 'tracking number', 'parcel', 'package', 'delivery', 'waybill', 'courier', 'not arrived', 'not received'],
  },
  {
    id: 'change-address', locale: 'zh-CN', question: '怎么修改收货地址？',
    answer: '订单发货前可以在订单详情里修改收货地址；已发货的订单请联系快递或人工客服。',
    keywords: ['改地址', '地址填错', '地址写错', '填错地址', '收货地址', '修改地址', '换地址', '改收货人', '改电话'],
  },
  {
    id: 'change-address', locale: 'en', question: 'How do I change my delivery address?',
    answer: 'You can change the address in the order details until the order ships; after that, contact the carrier or a person here.',
    keywords: ['address', 'wrong address', 'change address', 'update address', 'shipping address', 'moved house'],
  },
  {
    id: 'return-policy', locale: 'zh-CN', question: '支持七天无理由退货吗？',
    answer: '签收后 7 天内，商品完好即可申请无理由退货；定制、生鲜和数字商品除外。',
    keywords: ['退货', '七天无理由', '7天无理由', '退换', '退货退款', '不想要了', '不喜欢', '能退吗', '怎么退货', '退货流程'],
  },
  {
    id: 'return-policy', locale: 'en', question: 'Can I return an item within 7 days?',
    answer: 'Within 7 days of delivery you can return an item in its original condition for any reason; custom-made, perishable and digital goods are excluded.',
    keywords: ['return', 'returns', 'no reason return', '7 day', 'return policy', 'send it back', 'changed my mind', "don't want it"],
  },
  {
    id: 'refund-time', locale: 'zh-CN', question: '退款多久到账？',
    answer: '商家确认后 1–3 个工作日原路退回；符合极速退款条件的订单会先行退款。',
    keywords: ['退款', '仅退款', '钱什么时候退', '极速退款', '退款进度', '退款到账', '退钱', '钱没到账'],
  },
  {
    id: 'refund-time', locale: 'en', question: 'How long does a refund take?',
    answer: 'Refunds reach your original payment method 1–3 business days after the merchant confirms; eligible orders get a fast refund first.',
    keywords: ['refund', 'money back', 'fast refund', 'refund status', 'refund not received'],
  },
  {
    id: 'shipping-insurance', locale: 'zh-CN', question: '退货运费谁出？有运费险吗？',
    answer: '订单含退货运费险时，退货运费由保险赔付（最高 12 元）；质量问题退货运费由商家承担。',
    keywords: ['运费险', '退货运费', '邮费', '退运费', '运费谁出', '寄回运费'],
  },
  {
    id: 'shipping-insurance', locale: 'en', question: 'Who pays for return shipping? Is there return-shipping insurance?',
    answer: 'If your order has return-shipping insurance it pays the return postage (up to ¥12); for quality problems the merchant pays.',
    keywords: ['return shipping', 'postage', 'insurance', 'shipping fee', 'return postage', 'shipping insurance'],
  },
  {
    id: 'exchange', locale: 'zh-CN', question: '可以换尺码或颜色吗？',
    answer: '签收后 7 天内，商品完好即可在订单里选择“申请售后 → 换货”；寄回后商家会发出新的尺码或颜色，来回运费规则与退货相同。',
    keywords: ['换货', '换尺码', '换颜色', '换码', '尺码不合适', '尺码不对', '换大一号', '换小一号', '大了', '小了'],
  },
  {
    id: 'exchange', locale: 'en', question: 'Can I exchange an item for another size or colour?',
    answer: 'Within 7 days of delivery you can ask for an exchange in the order ("After-sales → Exchange"); send the item back and the shop sends the new size or colour. Postage follows the rules for returns.',
    keywords: ['exchange', 'swap', 'wrong size', 'different size', 'too small', 'too big', 'color', 'size'],
  },
  {
    id: 'cancel-order', locale: 'zh-CN', question: '怎么取消订单？',
    answer: '订单发货前可以在订单详情里直接取消，款项原路退回；已发货的订单无法取消，可在签收后申请退货。',
    keywords: ['取消订单', '取消', '拍错了', '下错单', '不想买了'],
  },
  {
    id: 'cancel-order', locale: 'en', question: 'How do I cancel my order?',
    answer: 'Until the order ships you can cancel it in the order details and the payment goes back the way it came; a shipped order cannot be cancelled, but you can return it after delivery.',
    keywords: ['cancel', 'cancel order', 'ordered by mistake', 'cancellation'],
  },
  {
    id: 'invoice', locale: 'zh-CN', question: '怎么开发票？',
    answer: '在订单详情里点“申请发票”，填写抬头和税号即可；电子发票会在确认收货后 1 个工作日内发到您的邮箱。',
    keywords: ['发票', '开发票', '开票', '电子发票', '抬头', '税号'],
  },
  {
    id: 'invoice', locale: 'en', question: 'Can I get an invoice?',
    answer: 'Choose "Request invoice" in the order details and enter the billing name and tax number; the e-invoice reaches your email within 1 business day after you confirm receipt.',
    keywords: ['invoice', 'receipt', 'vat', 'tax invoice', 'billing'],
  },
  {
    id: 'damaged-item', locale: 'zh-CN', question: '收到的商品破损或有质量问题怎么办？',
    answer: '请在签收后 48 小时内在订单里申请售后，并上传破损或问题部位的照片；商家核实后为您补发、换货或退款，来回运费由商家承担。',
    keywords: ['破损', '坏了', '质量问题', '少件', '漏发', '发错货', '发错了', '有瑕疵', '压坏'],
  },
  {
    id: 'damaged-item', locale: 'en', question: 'My item arrived damaged or faulty. What can I do?',
    answer: 'Within 48 hours of delivery, open an after-sales request in the order with photos of the damage; once the shop confirms, it sends a replacement, an exchange or a refund and pays the postage both ways.',
    keywords: ['damaged', 'broken', 'faulty', 'defective', 'missing item', 'wrong item', 'quality problem'],
  },
  {
    id: 'service-hours', locale: 'zh-CN', question: '人工客服什么时候在线？',
    answer: '人工客服每天 9:00–22:00（北京时间）在线；其他时间可以留言，我们上班后会尽快回复。',
    keywords: ['人工', '人工客服', '转人工', '客服时间', '上班时间', '几点上班', '在线时间', '营业时间'],
  },
  {
    id: 'service-hours', locale: 'en', question: 'When is customer service available?',
    answer: 'Our agents are online every day 9:00–22:00 (China time); outside those hours leave a message and we reply as soon as we are back.',
    keywords: ['agent', 'human', 'customer service', 'opening hours', 'business hours', 'working hours', 'real person'],
  },
];

/** The demo shop's agents, as the buyer sees them. */
export const DEMO_AGENTS = [
  { id: 'agent-lin', name: 'Lin Xiao' },
  { id: 'agent-chen', name: 'Chen Yu' },
] as const;
