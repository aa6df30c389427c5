import type { OrderCard } from './message.js';
import type { Order } from './order.js';

/**
 * The card a buyer sends into the chat so the agent sees which order it is about. Built from the
 * order itself (by the server, from its own data), never from what the buyer typed.
 */
export function orderCard(order: Order): OrderCard {
  const first = order.items[0];
  const more = order.items.length - 1;
  return {
    orderId: order.id,
    title: first ? (more > 0 ? `${first.title} +${more}` : first.title).slice(0, 200) : order.id,
    itemCount: order.items.reduce((n, i) => n + i.quantity, 0),
    total: order.totals.paid,
    status: order.status,
    ...(first?.imageUrl ? { imageUrl: first.imageUrl } : {}),
  };
}
