import * as v from 'valibot';
import { LIMITS } from '../domain/limits.js';
import { MessageSchema } from '../domain/message.js';
import { OrderSchema } from '../domain/order.js';
import { AfterSalesCaseSchema } from '../domain/after-sales/case.types.js';
import type { Query, QueryType } from './frames.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id));

export const FaqEntrySchema = v.object({
  id: Id,
  locale: v.pipe(v.string(), v.maxLength(35)),
  question: v.pipe(v.string(), v.maxLength(500)),
  answer: v.pipe(v.string(), v.maxLength(5_000)),
  keywords: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(100))), v.maxLength(50))),
});

/** The shape of each query's `result`, checked on arrival like every other frame. */
export const QueryResultSchemas = {
  'orders.list': v.object({ orders: v.pipe(v.array(OrderSchema), v.maxLength(50)), nextCursor: v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.id))) }),
  'order.get': v.object({ order: OrderSchema }),
  'cases.list': v.object({ cases: v.pipe(v.array(AfterSalesCaseSchema), v.maxLength(200)) }),
  'faq.entries': v.object({ entries: v.pipe(v.array(FaqEntrySchema), v.maxLength(2_000)) }),
  'messages.page': v.object({ messages: v.pipe(v.array(MessageSchema), v.maxLength(200)) }),
  'guest.order': v.object({ order: OrderSchema }),
} satisfies Record<QueryType, v.GenericSchema>;

/** What `client.query(q)` resolves to, by query type. */
export type QueryResult<Q extends Query> = v.InferOutput<(typeof QueryResultSchemas)[Q['type']]>;
export type QueryResults = { [K in QueryType]: v.InferOutput<(typeof QueryResultSchemas)[K]> };
