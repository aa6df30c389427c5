import * as v from 'valibot';
import { RefusedError } from '../errors.js';
import { LIMITS } from './limits.js';
import { MoneySchema, type Money } from './money.js';
import { TimestampSchema, assertNow } from './time.js';

/** Bounds on order fields. The shop's backend is trusted for meaning, not for size. */
export const ORDER_LIMITS = {
  itemTitle: 200,
  sku: 64,
  url: 2048,
  quantity: 9999,
  items: 200,
  shipmentEvents: 500,
  shipmentText: 500,
  place: 100,
  carrier: 50,
  waybillNumber: 40,
  maskedContact: 64,
  address: { name: 50, phone: 32, region: 100, line1: 200, line2: 200, postalCode: 16 },
} as const;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));
const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));
const required = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

/** The lifecycle of an order as the shop reports it. Labels are the widget's job, not core's. */
export const ORDER_STATUSES = ['awaiting-payment', 'awaiting-shipment', 'shipped', 'delivered', 'completed', 'closed'] as const;
export const OrderStatusSchema = v.picklist(ORDER_STATUSES);
export type OrderStatus = v.InferOutput<typeof OrderStatusSchema>;

/** Facts about a line that take it out of the 7-day no-reason return. */
export const ItemFlagsSchema = v.object({
  customMade: v.optional(v.boolean()),
  perishable: v.optional(v.boolean()),
  digital: v.optional(v.boolean()),
  /** The shop marked this product as not returnable without a reason (allowed for some categories). */
  excludedFromNoReasonReturn: v.optional(v.boolean()),
});
export type ItemFlags = v.InferOutput<typeof ItemFlagsSchema>;

/** One line of an order. */
export const OrderItemSchema = v.object({
  lineId: Id,
  title: required(ORDER_LIMITS.itemTitle),
  imageUrl: v.optional(v.pipe(v.string(), v.maxLength(ORDER_LIMITS.url), v.regex(/^(https?:\/\/|\/(?!\/))/i, 'Expected an http(s) URL or a same-origin path'))),
  sku: bounded(ORDER_LIMITS.sku),
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(ORDER_LIMITS.quantity)),
  unitPrice: MoneySchema,
  /** What the buyer paid for the whole line (all units) after discounts. */
  paid: MoneySchema,
  /**
   * Already refunded for this line, when the shop tracks refunds per line. Without it only the
   * order-level `refunded` caps what can still be refunded.
   */
  refunded: v.optional(MoneySchema),
  flags: v.optional(ItemFlagsSchema, {}),
});
export type OrderItem = v.InferOutput<typeof OrderItemSchema>;

/** A shipping address. `validateAddress` holds the rules a buyer's edit must meet. */
export const AddressSchema = v.object({
  name: required(ORDER_LIMITS.address.name),
  phone: required(ORDER_LIMITS.address.phone),
  /** Province / city / district, or the country's equivalent, as one display string. */
  region: required(ORDER_LIMITS.address.region),
  line1: required(ORDER_LIMITS.address.line1),
  line2: v.optional(bounded(ORDER_LIMITS.address.line2)),
  postalCode: v.optional(bounded(ORDER_LIMITS.address.postalCode)),
});
export type Address = v.InferOutput<typeof AddressSchema>;

/** Masked contact details (`138****5678`, `l***@example.com`), shown to a guest who looks an order up by code. */
export const OrderContactSchema = v.object({
  phone: v.optional(bounded(ORDER_LIMITS.maskedContact)),
  email: v.optional(bounded(ORDER_LIMITS.maskedContact)),
});
export type OrderContact = v.InferOutput<typeof OrderContactSchema>;

/** One logistics event. */
export const ShipmentEventSchema = v.object({
  at: TimestampSchema,
  place: bounded(ORDER_LIMITS.place),
  text: bounded(ORDER_LIMITS.shipmentText),
});
export type ShipmentEvent = v.InferOutput<typeof ShipmentEventSchema>;

/** The parcel: carrier, waybill number and its events, newest last. */
export const ShipmentSchema = v.object({
  carrier: required(ORDER_LIMITS.carrier),
  waybillNumber: required(ORDER_LIMITS.waybillNumber),
  events: v.pipe(v.array(ShipmentEventSchema), v.maxLength(ORDER_LIMITS.shipmentEvents)),
});
export type Shipment = v.InferOutput<typeof ShipmentSchema>;

/** After-sales facts the shop and platform attach to an order; `after-sales/policy.ts` applies them. */
export const OrderPolicySchema = v.object({
  /** Length of the no-reason return window in days, counted from delivery. */
  noReasonReturnDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 7),
  /** Whether this order qualifies for fast refund (refund before the merchant confirms), and up to what amount. */
  fastRefund: v.object({ eligible: v.boolean(), maxAmount: MoneySchema }),
  /** Return-shipping insurance: whether the order has it and its most payout. */
  shippingInsurance: v.object({ covered: v.boolean(), maxPayout: MoneySchema }),
  /** Whether the buyer's account qualifies for fast refund (credit standing); absent means no. */
  buyerFastRefundEligible: v.optional(v.boolean()),
});
export type OrderPolicy = v.InferOutput<typeof OrderPolicySchema>;

const OrderObjectSchema = v.object({
  id: Id,
  buyerId: Id,
  items: v.pipe(v.array(OrderItemSchema), v.minLength(1), v.maxLength(ORDER_LIMITS.items)),
  totals: v.object({ goods: MoneySchema, shipping: MoneySchema, discount: MoneySchema, paid: MoneySchema }),
  status: OrderStatusSchema,
  createdAt: TimestampSchema,
  paidAt: v.optional(TimestampSchema),
  shippedAt: v.optional(TimestampSchema),
  deliveredAt: v.optional(TimestampSchema),
  /** When the order was closed (cancelled, fully refunded, or timed out unpaid). */
  closedAt: v.optional(TimestampSchema),
  /** When the buyer last changed something (address). */
  updatedAt: v.optional(TimestampSchema),
  address: AddressSchema,
  contact: v.optional(OrderContactSchema, {}),
  shipment: v.optional(ShipmentSchema),
  policy: OrderPolicySchema,
  /** The total already refunded on this order. */
  refunded: MoneySchema,
});

function moneyOf(order: v.InferOutput<typeof OrderObjectSchema>): Money[] {
  const { totals, policy } = order;
  return [
    totals.goods, totals.shipping, totals.discount, totals.paid, order.refunded,
    policy.fastRefund.maxAmount, policy.shippingInsurance.maxPayout,
    ...order.items.flatMap((i) => (i.refunded ? [i.unitPrice, i.paid, i.refunded] : [i.unitPrice, i.paid])),
  ];
}

/**
 * An order as the buyer sees it. Besides field shapes the schema checks what the rules rely on:
 * one currency throughout, unique line ids, never more refunded than paid, and a delivery time
 * on delivered and completed orders (the no-reason window counts from it).
 */
export const OrderSchema = v.pipe(
  OrderObjectSchema,
  v.check((o) => moneyOf(o).every((m) => m.currency === o.totals.paid.currency), 'All amounts of an order must share one currency'),
  v.check((o) => new Set(o.items.map((i) => i.lineId)).size === o.items.length, 'Line ids must be unique'),
  v.check((o) => o.refunded.amount <= o.totals.paid.amount, 'Refunded more than paid'),
  v.check((o) => (o.status === 'delivered' || o.status === 'completed' ? o.deliveredAt !== undefined : true), 'A delivered order needs deliveredAt'),
);
export type Order = v.InferOutput<typeof OrderSchema>;

/** Why an order rule said no. Machine codes; the widget translates them. */
export type OrderRefusal = 'already-shipped' | 'closed' | 'address-invalid';

/** The result of an order rule. */
export type OrderRuleResult = { readonly ok: true } | { readonly ok: false; readonly reason: OrderRefusal };

/** Which field of an address is wrong and how. */
export type AddressErrorCode = 'required' | 'too-long' | 'invalid-phone';
export interface AddressFieldError {
  readonly field: keyof Address;
  readonly code: AddressErrorCode;
  readonly max?: number;
}

export type AddressCheck =
  | { readonly ok: true; readonly value: Address }
  | { readonly ok: false; readonly reason: 'address-invalid'; readonly errors: readonly AddressFieldError[] };

/** Statuses in which nothing has left the warehouse yet. */
const NOT_SHIPPED: ReadonlySet<OrderStatus> = new Set(['awaiting-payment', 'awaiting-shipment']);

function beforeShipment(order: Order): OrderRuleResult {
  if (order.status === 'closed') return { ok: false, reason: 'closed' };
  if (!NOT_SHIPPED.has(order.status)) return { ok: false, reason: 'already-shipped' };
  return { ok: true };
}

/**
 * Whether the buyer may change the shipping address: only while the order has not shipped
 * (awaiting payment or awaiting shipment). Shipped, delivered and completed orders give
 * `already-shipped`; a closed order gives `closed`.
 */
export function canChangeAddress(order: Order): OrderRuleResult {
  return beforeShipment(order);
}

/**
 * Whether the buyer may cancel the order: only while it has not shipped (awaiting payment or
 * awaiting shipment). After that the way back is an after-sales case. Shipped, delivered and
 * completed give `already-shipped`; a closed order gives `closed`.
 */
export function canCancel(order: Order): OrderRuleResult {
  return beforeShipment(order);
}

/** Digits with an optional leading `+`, after dropping spaces, dashes, dots and brackets; 5–15 digits (E.164 allows 15). */
const PHONE = /^\+?\d{5,15}$/;

/**
 * Checks an address a buyer typed: name, phone, region and first line are required (after
 * trimming); every field is within `ORDER_LIMITS.address`; the phone is loosely a phone number
 * (5–15 digits, optional leading `+`, spaces, dashes, dots and brackets allowed). Collects every
 * problem. On success returns the trimmed address, with empty optional fields dropped.
 */
export function validateAddress(address: Address): AddressCheck {
  const limits = ORDER_LIMITS.address;
  const errors: AddressFieldError[] = [];
  const value: Record<string, string> = {};
  for (const field of ['name', 'phone', 'region', 'line1', 'line2', 'postalCode'] as const) {
    const raw = (address as Partial<Record<keyof Address, unknown>>)[field];
    const text = typeof raw === 'string' ? raw.trim() : '';
    const optional = field === 'line2' || field === 'postalCode';
    if (text.length === 0) {
      if (!optional) errors.push({ field, code: 'required' });
      continue;
    }
    if (text.length > limits[field]) {
      errors.push({ field, code: 'too-long', max: limits[field] });
      continue;
    }
    value[field] = text;
  }
  if (value.phone !== undefined && !PHONE.test(value.phone.replace(/[\s\-.()]/g, ''))) {
    errors.push({ field: 'phone', code: 'invalid-phone' });
  }
  if (errors.length > 0) return { ok: false, reason: 'address-invalid', errors };
  return { ok: true, value: value as Address };
}

/** An order rule refused a buyer's action. `reason` is the machine code; the message is for logs. */
export class OrderRefusedError extends RefusedError {
  declare readonly reason: OrderRefusal;
  readonly orderId: string;

  constructor(orderId: string, reason: OrderRefusal, message: string) {
    super(message, { reason });
    this.name = 'OrderRefusedError';
    this.orderId = orderId;
    this.reason = reason;
  }
}

const EXPLAIN: Record<OrderRefusal, string> = {
  'already-shipped': 'it has already shipped',
  closed: 'it is closed',
  'address-invalid': 'the address is not valid',
};

function refuse(order: Order, action: string, reason: OrderRefusal, detail = ''): never {
  throw new OrderRefusedError(order.id, reason, `Cannot ${action} order ${order.id}: ${EXPLAIN[reason]}${detail}.`);
}

/** Throws an `OrderRefusedError` unless `canChangeAddress(order)`. */
export function assertCanChangeAddress(order: Order): void {
  const rule = canChangeAddress(order);
  if (!rule.ok) refuse(order, 'change the address of', rule.reason);
}

/** Throws an `OrderRefusedError` unless `canCancel(order)`. */
export function assertCanCancel(order: Order): void {
  const rule = canCancel(order);
  if (!rule.ok) refuse(order, 'cancel', rule.reason);
}

/**
 * Returns a new order with the new (validated, trimmed) address and `updatedAt = now`; the given
 * order is left untouched. Throws `OrderRefusedError` when the order has shipped or closed
 * (`canChangeAddress`) or the address is invalid (`validateAddress`).
 */
export function changeAddress(order: Order, address: Address, now: number): Order {
  assertNow(now);
  assertCanChangeAddress(order);
  const check = validateAddress(address);
  if (!check.ok) {
    refuse(order, 'change the address of', 'address-invalid', ` (${check.errors.map((e) => `${e.field}: ${e.code}`).join(', ')})`);
  }
  return { ...order, address: check.value, updatedAt: now };
}

/**
 * Returns a new order, cancelled: status `closed`, `closedAt = now`. When the order had been paid
 * (awaiting shipment) everything paid is recorded as refunded; an unpaid order refunds nothing.
 * Throws `OrderRefusedError` once the order has shipped or closed (`canCancel`).
 */
export function cancelOrder(order: Order, now: number): Order {
  assertNow(now);
  assertCanCancel(order);
  const paid = order.status === 'awaiting-shipment';
  return {
    ...order,
    status: 'closed',
    closedAt: now,
    updatedAt: now,
    refunded: paid ? { ...order.totals.paid } : order.refunded,
  };
}
