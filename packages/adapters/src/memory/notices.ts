import { formatMoney, type AfterSalesCase, type Money, type Order, type TimelineType } from '@xiaoer/core';

/**
 * The system notices the demo backend posts into a conversation, in its locale (Chinese or
 * English). Plain text: the widget renders them as text and opens `ref` when there is one.
 */

const zh = (locale: string) => locale.toLowerCase().startsWith('zh');
const money = (m: Money, locale: string) => formatMoney(m, zh(locale) ? 'zh-CN' : 'en');

export function addressChangedNotice(order: Order, locale: string): string {
  return zh(locale) ? `订单 ${order.id} 的收货地址已修改为：${order.address.region} ${order.address.line1}` : `The delivery address of order ${order.id} is now ${order.address.line1}, ${order.address.region}.`;
}

export function cancelledNotice(order: Order, locale: string): string {
  const refunded = order.refunded.amount > 0;
  if (zh(locale)) return `订单 ${order.id} 已取消${refunded ? `，${money(order.refunded, locale)} 将原路退回` : ''}。`;
  return `Order ${order.id} was cancelled.${refunded ? ` ${money(order.refunded, locale)} will be refunded to your original payment method.` : ''}`;
}

export function shippedNotice(order: Order, locale: string): string {
  const s = order.shipment;
  return zh(locale) ? `订单 ${order.id} 已发货：${s?.carrier ?? ''} ${s?.waybillNumber ?? ''}` : `Order ${order.id} has shipped: ${s?.carrier ?? ''} ${s?.waybillNumber ?? ''}.`;
}

export function deliveredNotice(order: Order, locale: string): string {
  return zh(locale) ? `订单 ${order.id} 已签收。如有问题，7 天内可申请无理由退货（特殊商品除外）。` : `Order ${order.id} was delivered. You can return it within 7 days for any reason (some items excepted).`;
}

const CASE_TEXT: Record<TimelineType, { zh: (c: AfterSalesCase) => string; en: (c: AfterSalesCase) => string }> = {
  requested: { zh: (c) => `售后申请 ${c.id} 已提交，商家将在 48 小时内处理。`, en: (c) => `After-sales case ${c.id} was submitted; the merchant answers within 48 hours.` },
  approved: { zh: (c) => `商家已同意售后申请 ${c.id}。`, en: (c) => `The merchant approved case ${c.id}.` },
  'auto-approved': { zh: (c) => `商家超时未处理，售后申请 ${c.id} 已自动同意。`, en: (c) => `The merchant did not answer in time, so case ${c.id} was approved automatically.` },
  rejected: { zh: (c) => `商家拒绝了售后申请 ${c.id}：${c.rejection?.reason ?? ''} 您可以申请平台介入。`, en: (c) => `The merchant rejected case ${c.id}: ${c.rejection?.reason ?? ''} You can ask the platform to mediate.` },
  escalated: { zh: (c) => `售后申请 ${c.id} 已提交平台介入处理。`, en: (c) => `Case ${c.id} went to platform mediation.` },
  'ruled-for-buyer': { zh: (c) => `平台裁定支持您的售后申请 ${c.id}。`, en: (c) => `The platform ruled for you on case ${c.id}.` },
  'ruled-for-merchant': { zh: (c) => `平台裁定支持商家，售后申请 ${c.id} 已关闭。`, en: (c) => `The platform ruled for the merchant; case ${c.id} is closed.` },
  'escalation-expired': { zh: (c) => `售后申请 ${c.id} 未在期限内申请介入，已关闭。`, en: (c) => `Case ${c.id} closed: mediation was not requested in time.` },
  'return-shipped': { zh: (c) => `售后 ${c.id} 的退货已寄出：${c.returnShipment?.carrier ?? ''} ${c.returnShipment?.trackingNumber ?? ''}`, en: (c) => `Return for case ${c.id} shipped: ${c.returnShipment?.carrier ?? ''} ${c.returnShipment?.trackingNumber ?? ''}.` },
  'return-not-shipped': { zh: (c) => `售后 ${c.id} 未在期限内寄回商品，已关闭。`, en: (c) => `Case ${c.id} closed: the return was not shipped in time.` },
  'fast-refund-paid': { zh: (c) => `极速退款 ${c.refund ? money(c.refund.amount, 'zh') : ''} 已先行退回（售后 ${c.id}）。`, en: (c) => `Fast refund of ${c.refund ? money(c.refund.amount, 'en') : ''} paid for case ${c.id}.` },
  'return-received': { zh: (c) => `商家已确认收到售后 ${c.id} 的退货。`, en: (c) => `The merchant received the return for case ${c.id}.` },
  'auto-received': { zh: (c) => `商家超时未确认，售后 ${c.id} 的退货已视为签收。`, en: (c) => `The merchant did not confirm in time, so the return for case ${c.id} counts as received.` },
  'refund-paid': { zh: (c) => `退款 ${c.refund ? money(c.refund.amount, 'zh') : ''} 已原路退回（售后 ${c.id}）。`, en: (c) => `Refund of ${c.refund ? money(c.refund.amount, 'en') : ''} paid for case ${c.id}.` },
  'replacement-shipped': { zh: (c) => `售后 ${c.id} 的换货已发出：${c.replacementShipment?.carrier ?? ''} ${c.replacementShipment?.trackingNumber ?? ''}`, en: (c) => `Replacement for case ${c.id} shipped: ${c.replacementShipment?.carrier ?? ''} ${c.replacementShipment?.trackingNumber ?? ''}.` },
  'replacement-confirmed': { zh: (c) => `您已确认收到售后 ${c.id} 的换货，售后完成。`, en: (c) => `You confirmed the replacement for case ${c.id}; the case is complete.` },
  withdrawn: { zh: (c) => `售后申请 ${c.id} 已撤销。`, en: (c) => `Case ${c.id} was withdrawn.` },
  closed: { zh: (c) => `售后 ${c.id} 已完成。`, en: (c) => `Case ${c.id} is complete.` },
};

/** What happened to a case, from the timeline entries added since `before` (all of them for a new case). */
export function caseNotice(next: AfterSalesCase, before: AfterSalesCase | undefined, locale: string): string {
  const added = next.timeline.slice(before ? before.timeline.length : 0);
  const lang = zh(locale) ? 'zh' : 'en';
  const texts = (added.length > 0 ? added : next.timeline.slice(-1)).map((e) => CASE_TEXT[e.type][lang](next));
  return texts.join(lang === 'zh' ? '' : ' ');
}

export function leftMessageNotice(contact: string, locale: string): string {
  return zh(locale) ? `留言已收到，客服会尽快在这里回复您（联系方式：${contact}）。` : `Your message was received. An agent will answer here as soon as possible (contact: ${contact}).`;
}

export function complaintNotice(ticketId: string, locale: string): string {
  return zh(locale) ? `投诉 ${ticketId} 已受理，我们会在 24 小时内处理并回复您。` : `Complaint ${ticketId} received. We will look into it and answer within 24 hours.`;
}

export function ratingThanksNotice(locale: string): string {
  return zh(locale) ? '感谢您的评价，我们会继续努力！' : 'Thank you for rating this chat!';
}

export function joinedNotice(name: string, locale: string): string {
  return zh(locale) ? `客服 ${name} 已接入，为您服务` : `${name} has joined the chat`;
}
