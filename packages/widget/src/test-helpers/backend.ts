// Test and story support (not part of the package's API): a scripted backend over core's
// MockTransport, and commerce fixtures that are valid per core's schemas.
import {
  BUYER_SHIP_DAYS,
  DAY_MS,
  HOUR_MS,
  createClient,
  openCase,
  transition,
  type AfterSalesCase,
  type AfterSalesRequest,
  type BuyerIdentity,
  type ClientFrame,
  type Command,
  type CommandType,
  type Money,
  type Order,
  type OrderStatus,
  type Query,
  type QueryType,
  type RoutingState,
  type ServerFrame,
  type Storage,
  type WireError,
  type XiaoerClient,
} from '@xiaoer/core';
import { CONVERSATION_ID, MockTransport, readyFrame } from '@xiaoer/core/test';

type Reply = { result?: Record<string, unknown> } | { error: WireError } | 'hold';
type CommandHandler = (command: Command, id: string) => Reply | Promise<Reply>;
type QueryHandler = (query: Query) => unknown | Promise<unknown>;

/** A refusal a handler returns to answer with a `nack`. */
export const refuse = (reason: string, extra: Partial<WireError> = {}): { error: WireError } => ({
  error: { code: 'refused', message: `refused: ${reason}`, retryable: false, reason, ...extra },
});

/**
 * Plays the server: answers queries and commands through handlers (commands are acked by default),
 * records what the client sent, and lets a test push events with a running `seq`.
 */
export class TestBackend extends MockTransport {
  private readonly queryHandlers = new Map<QueryType, QueryHandler>();
  private readonly commandHandlers = new Map<CommandType, CommandHandler>();
  private seq = 0;

  /** Answers a query type; a handler returning `{ error }` gets a nack. */
  onQuery<T extends QueryType>(type: T, handler: (query: Extract<Query, { type: T }>) => unknown | Promise<unknown>): this {
    this.queryHandlers.set(type, handler as QueryHandler);
    return this;
  }

  /** Answers a command type: `{ result }` acks, `{ error }` nacks, `'hold'` leaves it unanswered. */
  onCommand<T extends CommandType>(type: T, handler: (command: Extract<Command, { type: T }>, id: string) => Reply | Promise<Reply>): this {
    this.commandHandlers.set(type, handler as CommandHandler);
    return this;
  }

  /** The queries sent so far. */
  queries(): Query[] {
    return this.sent.flatMap((f) => (f.kind === 'query' ? [f.query] : []));
  }

  /** The commands sent so far (types and fields only). */
  commandsOf<T extends CommandType>(type: T): Extract<Command, { type: T }>[] {
    return this.commands().flatMap((f) => (f.command.type === type ? [f.command as Extract<Command, { type: T }>] : []));
  }

  override send(frame: ClientFrame): boolean {
    if (!super.send(frame)) return false;
    if (frame.kind === 'query') {
      const handler = this.queryHandlers.get(frame.query.type);
      if (handler) void this.answer(frame.id, () => handler(frame.query), true);
    } else if (frame.kind === 'command') {
      const handler = this.commandHandlers.get(frame.command.type);
      void this.answer(frame.id, () => (handler ? handler(frame.command, frame.id) : {}), false);
    }
    return true;
  }

  private async answer(id: string, run: () => unknown, isQuery: boolean): Promise<void> {
    await Promise.resolve();
    const reply = (await run()) as Reply | Record<string, unknown>;
    if (reply === 'hold') return;
    if (reply && typeof reply === 'object' && 'error' in reply) this.receive({ v: 1, kind: 'nack', id, error: reply.error as WireError });
    else if (isQuery) this.receive({ v: 1, kind: 'result', id, result: reply });
    else this.receive({ v: 1, kind: 'ack', id, ...((reply as { result?: Record<string, unknown> }).result ? { result: (reply as { result: Record<string, unknown> }).result } : {}) });
  }

  ack(id: string, result?: Record<string, unknown>): void {
    this.receive({ v: 1, kind: 'ack', id, ...(result ? { result } : {}) });
  }

  nack(id: string, error: WireError): void {
    this.receive({ v: 1, kind: 'nack', id, error });
  }

  /** Pushes a conversation event with the next `seq`. */
  push(event: Extract<ServerFrame, { kind: 'event' }>['event']): void {
    this.receive({ v: 1, kind: 'event', conversationId: CONVERSATION_ID, seq: ++this.seq, event });
  }
}

export interface ConnectOptions {
  /** The verified buyer; `null` for an anonymous visitor. Default: a logged-in buyer. */
  buyer?: { id: string; name?: string } | null;
  agentsAvailable?: boolean;
  routing?: RoutingState;
  identity?: () => BuyerIdentity | undefined;
  locale?: string;
  /** Where the client keeps its history and outbox (memory by default), e.g. seeded with a cache. */
  storage?: Storage;
  /** The conversation's latest `seq` the session reports (0 by default). */
  lastSeq?: number;
  /** Set up handlers before the session opens. */
  setup?: (backend: TestBackend) => void;
}

/** A started client on a TestBackend whose session is ready. */
export async function connect(options: ConnectOptions = {}): Promise<{ backend: TestBackend; client: XiaoerClient }> {
  const backend = new TestBackend();
  options.setup?.(backend);
  const client = createClient({
    transport: backend,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
  });
  await client.start();
  backend.open();
  const buyer = options.buyer === undefined ? { id: 'b_1', name: 'Zhang San' } : options.buyer;
  backend.receive(
    readyFrame({
      ...(buyer ? { buyer } : {}),
      agentsAvailable: options.agentsAvailable ?? true,
      ...(options.routing ? { routing: options.routing } : {}),
      ...(options.lastSeq ? { lastSeq: options.lastSeq } : {}),
    }),
  );
  return { backend, client };
}

// ---------------------------------------------------------------- fixtures

export const cny = (amount: number): Money => ({ amount, currency: 'CNY' });

/**
 * A delivered order, relative to `now` (delivered two days ago, so the 7-day window is open):
 * two T-shirts (¥90 paid for the line) and a custom-made mug (¥30), ¥130 paid, fast refund up
 * to ¥200, no shipping insurance. The shape of core's `order.fixtures.ts`.
 */
export function makeOrder(overrides: Partial<Order> = {}, now = Date.now()): Order {
  const created = now - 5 * DAY_MS;
  const paid = created + HOUR_MS;
  const shipped = created + DAY_MS;
  const delivered = now - 2 * DAY_MS;
  return {
    id: 'o_1',
    buyerId: 'b_1',
    items: [
      { lineId: 'L1', title: 'T-shirt', sku: 'TS-M-BLK', quantity: 2, unitPrice: cny(5000), paid: cny(9000), flags: {} },
      { lineId: 'L2', title: 'Custom mug', sku: 'MUG-CUSTOM', quantity: 1, unitPrice: cny(3000), paid: cny(3000), flags: { customMade: true } },
    ],
    totals: { goods: cny(13000), shipping: cny(1000), discount: cny(1000), paid: cny(13000) },
    status: 'delivered',
    createdAt: created,
    paidAt: paid,
    shippedAt: shipped,
    deliveredAt: delivered,
    address: { name: '张三', phone: '+86 138 0013 8000', region: '浙江省 杭州市 西湖区', line1: '文三路 100 号' },
    contact: { phone: '138****8000' },
    shipment: {
      carrier: 'SF Express',
      waybillNumber: 'SF1234567890',
      events: [
        { at: shipped, place: 'Hangzhou', text: 'Picked up' },
        { at: shipped + 12 * HOUR_MS, place: 'Shanghai hub', text: 'In transit' },
        { at: delivered, place: 'Hangzhou', text: 'Delivered' },
      ],
    },
    policy: {
      noReasonReturnDays: 7,
      fastRefund: { eligible: true, maxAmount: cny(20000) },
      shippingInsurance: { covered: false, maxPayout: cny(1200) },
      buyerFastRefundEligible: true,
    },
    refunded: cny(0),
    ...overrides,
  };
}

/** The same order at another status, with the timestamps that status implies. */
export function orderAt(status: OrderStatus, overrides: Partial<Order> = {}, now = Date.now()): Order {
  const base = makeOrder({ status }, now);
  const { paidAt, shippedAt, deliveredAt: _delivered, shipment, closedAt: _closed, ...rest } = base;
  switch (status) {
    case 'awaiting-payment':
      return { ...rest, ...overrides };
    case 'awaiting-shipment':
      return { ...rest, paidAt: paidAt!, ...overrides };
    case 'shipped':
      return { ...rest, paidAt: paidAt!, shippedAt: shippedAt!, shipment: { ...shipment!, events: shipment!.events.slice(0, 2) }, ...overrides };
    case 'closed':
      return { ...rest, closedAt: now - DAY_MS, ...overrides };
    default:
      return { ...base, ...overrides };
  }
}

/** A return-and-refund request for one T-shirt, damaged, with the three photos its checklist asks for. */
export function makeRequest(overrides: Partial<AfterSalesRequest> = {}): AfterSalesRequest {
  return {
    type: 'return-and-refund',
    lines: [{ lineId: 'L1', quantity: 1 }],
    reason: 'damaged',
    amount: cny(4500),
    description: 'The seam is torn.',
    photos: [
      { id: 'p_box', slot: 'outer-box' },
      { id: 'p_label', slot: 'shipping-label' },
      { id: 'p_defect', slot: 'defect-close-up' },
    ],
    ...overrides,
  };
}

type CaseStep = Parameters<typeof transition>[1];

/**
 * A case made the way the server makes one: `openCase` on the order, then the given events an
 * hour apart, each through core's `transition` (so every fixture is a state the machine can reach).
 */
export function makeCase(steps: readonly CaseStep[] = [], options: { id?: string; order?: Order; request?: AfterSalesRequest; openedAt?: number } = {}): AfterSalesCase {
  const openedAt = options.openedAt ?? Date.now() - 3 * HOUR_MS;
  let c = openCase(options.order ?? makeOrder({}, openedAt + HOUR_MS), options.request ?? makeRequest(), openedAt, options.id ?? 'as_1');
  steps.forEach((step, i) => (c = transition(c, step, openedAt + (i + 1) * 60_000)));
  return c;
}

export { BUYER_SHIP_DAYS };
