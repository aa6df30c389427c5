import {
  DAY_MS,
  HOUR_MS,
  openCase,
  transition,
  type AfterSalesCase,
  type Address,
  type Money,
  type Order,
  type OrderItem,
  type OrderPolicy,
} from '@xiaoer/core';

/**
 * The demo shop's orders and after-sales cases: a tea shop (小二茶铺 · Xiaoer Tea House) with one
 * demo buyer whose orders cover every status and every after-sales rule, and a second buyer whose
 * data must never show up for the first. Every time is relative to the `now` the backend starts at,
 * so the 7-day window and the case deadlines are always "live" in a demo.
 */

const MIN_MS = 60_000;
const cny = (fen: number): Money => ({ amount: fen, currency: 'CNY' });

/** A buyer the shop knows. */
export interface DemoBuyer {
  readonly id: string;
  readonly name: string;
}

/** The logged-in buyer of the demo storefront. */
export const DEMO_BUYER: DemoBuyer = { id: 'buyer-demo', name: '王小明 Wang Xiaoming' };
/** Another buyer of the same shop: proves that one buyer never sees another's data. */
export const OTHER_BUYER: DemoBuyer = { id: 'buyer-other', name: '李雷 Li Lei' };
export const DEMO_BUYERS: readonly DemoBuyer[] = [DEMO_BUYER, OTHER_BUYER];

/** An evidence photo that comes with the seed (the seed cases show one on the desk). */
export interface SeedPhoto {
  readonly photoId: string;
  readonly mime: 'image/png';
  /** Base64 bytes. */
  readonly data: string;
}

/** A seeded case, with the seed photos its evidence refers to. */
export interface SeedCase {
  readonly case: AfterSalesCase;
  readonly photoIds: readonly string[];
}

export interface DemoShop {
  readonly buyers: readonly DemoBuyer[];
  /** Newest first per buyer is the backend's job; here they are in no particular order. */
  readonly orders: readonly Order[];
  readonly cases: readonly SeedCase[];
  readonly photos: readonly SeedPhoto[];
}

/** A 24×24 PNG of a dented tea tin: a stand-in for a buyer's close-up of a defect. */
const DENTED_TIN_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAPklEQVR42mN48egKVRDDyDFoQ4MH8WhADXLTlYQg8g2CG4GMBs4grKbAzRrSBg2+wKZmOhqsWWTUoGFZZgMAZi+GpxYV8LMAAAAASUVORK5CYII=';

const img = (name: string) => `/storefront/img/${name}.svg`;

/** The shop's catalogue, in fen. */
const PRODUCTS = {
  longjing: { title: '明前龙井 250g · Longjing green tea', sku: 'TEA-LJ-250', price: 16800, image: img('longjing') },
  silverNeedle: { title: '白毫银针 100g · Silver Needle white tea', sku: 'TEA-BHYZ-100', price: 23800, image: img('silver-needle') },
  lapsang: { title: '正山小种 200g · Lapsang Souchong', sku: 'TEA-ZSXZ-200', price: 9800, image: img('lapsang') },
  daHongPao: { title: '武夷大红袍 125g · Da Hong Pao oolong', sku: 'TEA-DHP-125', price: 18800, image: img('lapsang') },
  jasmine: { title: '茉莉花茶 150g · Jasmine tea', sku: 'TEA-MLH-150', price: 6800, image: img('longjing') },
  tieguanyin: { title: '安溪铁观音 250g · Tieguanyin oolong', sku: 'TEA-TGY-250', price: 8800, image: img('longjing') },
  puer: { title: '勐海普洱饼 357g · Menghai Pu\u2019er cake', sku: 'TEA-PE-357', price: 29800, image: img('lapsang') },
  glassPitcher: { title: '玻璃公道杯 · Glass fairness pitcher', sku: 'WARE-GDB-01', price: 4500, image: img('cups') },
  celadonCups: { title: '青瓷品茗杯（4 只装）· Celadon cups, set of 4', sku: 'WARE-QC-4', price: 12800, image: img('cups') },
  bambooTray: { title: '竹制茶盘 · Bamboo tea tray', sku: 'WARE-ZP-01', price: 15900, image: img('tray') },
  teapot: { title: '宜兴紫砂壶 · Yixing clay teapot', sku: 'WARE-ZSH-01', price: 52000, image: img('teapot') },
  engravedTeapot: { title: '定制刻字紫砂壶 · Engraved Yixing teapot (made to order)', sku: 'WARE-ZSH-KZ', price: 68000, image: img('teapot') },
  osmanthusCake: { title: '桂花糕（鲜制）· Fresh osmanthus cakes', sku: 'FOOD-GHG-6', price: 3600, image: img('osmanthus') },
} as const;
type ProductKey = keyof typeof PRODUCTS;

function line(lineId: string, key: ProductKey, quantity: number, options: { discount?: number; flags?: OrderItem['flags']; refunded?: number } = {}): OrderItem {
  const p = PRODUCTS[key];
  return {
    lineId,
    title: p.title,
    imageUrl: p.image,
    sku: p.sku,
    quantity,
    unitPrice: cny(p.price),
    paid: cny(p.price * quantity - (options.discount ?? 0)),
    ...(options.refunded ? { refunded: cny(options.refunded) } : {}),
    flags: options.flags ?? {},
  };
}

const DEMO_ADDRESS: Address = { name: '王小明', phone: '+86 138 0013 8000', region: '浙江省 杭州市 西湖区', line1: '文三路 478 号 华星时代广场 A 座 1203', postalCode: '310012' };
const OTHER_ADDRESS: Address = { name: '李雷', phone: '+86 139 1234 5678', region: '上海市 徐汇区', line1: '漕溪北路 88 号 圣爱大厦 9 楼', postalCode: '200030' };

function policy(options: { insured?: boolean; fast?: boolean } = {}): OrderPolicy {
  return {
    noReasonReturnDays: 7,
    fastRefund: { eligible: options.fast ?? false, maxAmount: cny(50000) },
    shippingInsurance: { covered: options.insured ?? false, maxPayout: cny(1200) },
    buyerFastRefundEligible: true,
  };
}

interface OrderSpec {
  id: string;
  buyer: DemoBuyer;
  items: OrderItem[];
  shipping?: number;
  discount?: number;
  status: Order['status'];
  createdAt: number;
  paidAt?: number;
  shippedAt?: number;
  deliveredAt?: number;
  closedAt?: number;
  shipment?: Order['shipment'];
  policy?: OrderPolicy;
  refunded?: number;
}

function order(spec: OrderSpec): Order {
  const goods = spec.items.reduce((sum, i) => sum + i.unitPrice.amount * i.quantity, 0);
  const linesPaid = spec.items.reduce((sum, i) => sum + i.paid.amount, 0);
  const shipping = spec.shipping ?? 0;
  const demo = spec.buyer.id === DEMO_BUYER.id;
  return {
    id: spec.id,
    buyerId: spec.buyer.id,
    items: spec.items,
    totals: { goods: cny(goods), shipping: cny(shipping), discount: cny(goods - linesPaid), paid: cny(linesPaid + shipping) },
    status: spec.status,
    createdAt: spec.createdAt,
    ...(spec.paidAt !== undefined ? { paidAt: spec.paidAt } : {}),
    ...(spec.shippedAt !== undefined ? { shippedAt: spec.shippedAt } : {}),
    ...(spec.deliveredAt !== undefined ? { deliveredAt: spec.deliveredAt } : {}),
    ...(spec.closedAt !== undefined ? { closedAt: spec.closedAt } : {}),
    address: demo ? DEMO_ADDRESS : OTHER_ADDRESS,
    contact: demo ? { phone: '138****8000' } : { phone: '139****5678' },
    ...(spec.shipment ? { shipment: spec.shipment } : {}),
    policy: spec.policy ?? policy(),
    refunded: cny(spec.refunded ?? 0),
  };
}

/** SF Express events from the Wuyi mountains to Hangzhou, newest last. */
function sfJourney(waybillNumber: string, shippedAt: number, delivered?: number): NonNullable<Order['shipment']> {
  const events = [
    { at: shippedAt, place: '福建省 南平市 武夷山', text: '顺丰速运 已收取快件 · Picked up by SF Express' },
    { at: shippedAt + 5 * HOUR_MS, place: '南平转运中心 Nanping hub', text: '快件已发往【杭州转运中心】· Left the Nanping hub for Hangzhou' },
    { at: shippedAt + 20 * HOUR_MS, place: '杭州转运中心 Hangzhou hub', text: '快件到达【杭州转运中心】· Arrived at the Hangzhou hub' },
    { at: shippedAt + 26 * HOUR_MS, place: '杭州市 西湖区 文三路营业点', text: '快件派送中，派件员：陈师傅 138****2211 · Out for delivery' },
  ];
  if (delivered !== undefined) events.push({ at: delivered, place: '杭州市 西湖区', text: '已签收，签收人：本人 · Delivered, signed by the recipient' });
  return { carrier: '顺丰速运 SF Express', waybillNumber, events };
}

/**
 * The demo shop as of `now`: buyers, orders (every status, every after-sales rule) and cases.
 * Ids are fixed, so records written later (an approved case, a shipped order) override these.
 */
export function demoShop(now: number): DemoShop {
  const N = now;
  const D = DAY_MS;
  const H = HOUR_MS;
  const me = DEMO_BUYER;

  const orders: Order[] = [
    // Completed long ago; one tin refunded through the closed seed case below.
    order({
      id: 'XE10000', buyer: me, status: 'completed', shipping: 0,
      items: [line('L1', 'tieguanyin', 2, { refunded: 8800 })],
      createdAt: N - 45 * D, paidAt: N - 45 * D + 3 * MIN_MS, shippedAt: N - 44 * D, deliveredAt: N - 42 * D,
      shipment: sfJourney('SF1401882300457', N - 44 * D, N - 42 * D), refunded: 8800,
    }),
    // Closed: cancelled by the buyer before it shipped; refunded in full.
    order({
      id: 'XE10001', buyer: me, status: 'closed', shipping: 1000,
      items: [line('L1', 'puer', 1)],
      createdAt: N - 30 * D, paidAt: N - 30 * D + 2 * MIN_MS, closedAt: N - 30 * D + H, refunded: 29800 + 1000,
    }),
    // Completed: the open "requested" case below (quality problem) is about it.
    order({
      id: 'XE10002', buyer: me, status: 'completed', shipping: 0, policy: policy({ insured: true, fast: true }),
      items: [line('L1', 'longjing', 2, { discount: 1600 }), line('L2', 'silverNeedle', 1)],
      createdAt: N - 24 * D, paidAt: N - 24 * D + 4 * MIN_MS, shippedAt: N - 23 * D, deliveredAt: N - 20 * D,
      shipment: sfJourney('SF1409935512760', N - 23 * D, N - 20 * D),
    }),
    // Delivered 10 days ago: the 7-day no-reason window has closed. Has the rejected case below.
    order({
      id: 'XE10003', buyer: me, status: 'delivered', shipping: 0,
      items: [line('L1', 'teapot', 1)],
      createdAt: N - 14 * D, paidAt: N - 14 * D + MIN_MS, shippedAt: N - 12 * D, deliveredAt: N - 10 * D,
      shipment: sfJourney('SF1412260098813', N - 12 * D, N - 10 * D),
    }),
    // Custom-made: never returnable without a reason.
    order({
      id: 'XE10004', buyer: me, status: 'delivered', shipping: 0,
      items: [line('L1', 'engravedTeapot', 1, { flags: { customMade: true } })],
      createdAt: N - 12 * D, paidAt: N - 12 * D + MIN_MS, shippedAt: N - 5 * D, deliveredAt: N - 3 * D,
      shipment: sfJourney('SF1416620031190', N - 5 * D, N - 3 * D),
    }),
    // A perishable line (the cakes) beside a returnable one (the tea).
    order({
      id: 'XE10005', buyer: me, status: 'delivered', shipping: 800, policy: policy({ insured: true }),
      items: [line('L1', 'osmanthusCake', 2, { flags: { perishable: true } }), line('L2', 'jasmine', 1)],
      createdAt: N - 4 * D, paidAt: N - 4 * D + MIN_MS, shippedAt: N - 3 * D, deliveredAt: N - D,
      shipment: sfJourney('SF1417783400265', N - 3 * D, N - D),
    }),
    // Delivered 2 days ago: 7-day no-reason return open, return-shipping insurance, fast refund.
    order({
      id: 'XE10006', buyer: me, status: 'delivered', shipping: 0, policy: policy({ insured: true, fast: true }),
      items: [line('L1', 'celadonCups', 1), line('L2', 'bambooTray', 1, { discount: 1000 })],
      createdAt: N - 6 * D, paidAt: N - 6 * D + 2 * MIN_MS, shippedAt: N - 4 * D, deliveredAt: N - 2 * D,
      shipment: sfJourney('SF1418830471652', N - 4 * D, N - 2 * D),
    }),
    // Shipped, on its way: a live SF Express timeline.
    order({
      id: 'XE10007', buyer: me, status: 'shipped', shipping: 0, policy: policy({ insured: true }),
      items: [line('L1', 'daHongPao', 1), line('L2', 'lapsang', 1)],
      createdAt: N - 3 * D, paidAt: N - 3 * D + 5 * MIN_MS, shippedAt: N - 30 * H,
      shipment: sfJourney('SF1420553022176', N - 30 * H),
    }),
    // Awaiting shipment (2): address can still change, the order can still be cancelled.
    order({
      id: 'XE10008', buyer: me, status: 'awaiting-shipment', shipping: 1000,
      items: [line('L1', 'lapsang', 2)],
      createdAt: N - D, paidAt: N - D + 3 * MIN_MS,
    }),
    order({
      id: 'XE10009', buyer: me, status: 'awaiting-shipment', shipping: 0, policy: policy({ insured: true, fast: true }),
      items: [line('L1', 'silverNeedle', 1, { discount: 1700 }), line('L2', 'glassPitcher', 1, { discount: 300 })],
      createdAt: N - 5 * H, paidAt: N - 5 * H + 2 * MIN_MS,
    }),
    // Awaiting payment.
    order({
      id: 'XE10010', buyer: me, status: 'awaiting-payment', shipping: 0,
      items: [line('L1', 'longjing', 1)],
      createdAt: N - 30 * MIN_MS,
    }),
    // The other buyer's orders.
    order({
      id: 'XE20001', buyer: OTHER_BUYER, status: 'delivered', shipping: 0, policy: policy({ insured: true }),
      items: [line('L1', 'puer', 1)],
      createdAt: N - 5 * D, paidAt: N - 5 * D + MIN_MS, shippedAt: N - 4 * D, deliveredAt: N - 2 * D,
      shipment: sfJourney('SF1419900112358', N - 4 * D, N - 2 * D),
    }),
    order({
      id: 'XE20002', buyer: OTHER_BUYER, status: 'awaiting-shipment', shipping: 0,
      items: [line('L1', 'bambooTray', 1)],
      createdAt: N - 2 * H, paidAt: N - 2 * H + MIN_MS,
    }),
  ];
  const byId = new Map(orders.map((o) => [o.id, o]));
  const at = (id: string) => byId.get(id)!;
  const photos: SeedPhoto[] = [{ photoId: 'seed-dented-tin', mime: 'image/png', data: DENTED_TIN_PNG }];

  // Built through core's own rules, so a seed can never hold a case the rules would refuse.
  // The order as it was when the case opened (nothing refunded yet).
  const refundedCase = (() => {
    const before = { ...at('XE10000'), refunded: cny(0), items: [line('L1', 'tieguanyin', 2)] };
    const opened = N - 38 * D;
    let c = openCase(before, {
      type: 'refund-only', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'quality-problem', amount: cny(8800),
      description: '一罐铁观音开封后有异味。One tin smelled musty when opened.', photos: [{ id: 'seed-dented-tin', slot: 'defect-close-up' }],
    }, opened, 'AS-70001');
    c = transition(c, { type: 'approve', note: '同意退款，抱歉给您带来不便。' }, opened + 5 * H);
    c = transition(c, { type: 'refund' }, opened + 6 * H);
    return transition(c, { type: 'close' }, opened + 6 * H);
  })();

  const rejectedCase = (() => {
    const opened = N - 4 * D;
    const c = openCase(at('XE10003'), {
      type: 'refund-only', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'not-as-described', amount: cny(10000),
      description: '壶身颜色比图片深。The clay is darker than in the photos.', photos: [{ id: 'seed-dented-tin', slot: 'item-received' }],
    }, opened, 'AS-70002');
    return transition(c, { type: 'reject', reason: '颜色差异属于紫砂正常窑变，页面已说明。Colour varies with firing, as the listing says.' }, N - 2 * D - H);
  })();

  const requestedCase = openCase(at('XE10002'), {
    type: 'return-and-refund', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'quality-problem', amount: cny(16000),
    description: '茶叶受潮结块。The tea arrived damp and clumped.', photos: [{ id: 'seed-dented-tin', slot: 'defect-close-up' }],
  }, N - 6 * H, 'AS-70003');

  const otherCase = openCase(at('XE20001'), {
    type: 'return-and-refund', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'no-longer-needed', amount: cny(29800),
    description: '', photos: [],
  }, N - 3 * H, 'AS-70101');

  return {
    buyers: DEMO_BUYERS,
    orders,
    cases: [
      { case: refundedCase, photoIds: ['seed-dented-tin'] },
      { case: rejectedCase, photoIds: ['seed-dented-tin'] },
      { case: requestedCase, photoIds: ['seed-dented-tin'] },
      { case: otherCase, photoIds: [] },
    ],
    photos,
  };
}
