import {
  PROTOCOL_VERSION,
  LIMITS,
  createFaqIndex,
  decodeClientFrame,
  validateClientFrame,
  type Agent,
  type ClientFrame,
  type Command,
  type ConversationEvent,
  type FaqEntry,
  type FaqIndex,
  type Message,
  type MessageBody,
  type RoutingState,
  type ServerFrame,
  type WireError,
} from '@xiaoer/core';
import type { DeskClientFrame, DeskConversation, DeskServerFrame, QueueItem } from './desk-protocol.js';
import { DEMO_AGENTS, DEMO_FAQ } from './seed.js';
import { botReply, botWelcome } from './bot.js';

/**
 * What the backend writes down so that it can be rebuilt after a restart. Every change is one
 * record, written (by `persist`) before anyone is told about it.
 */
export type BackendRecord =
  | { t: 'conversation'; id: string; visitorId: string; createdAt: number; locale: string }
  | { t: 'event'; conversationId: string; seq: number; event: ConversationEvent; commandId?: string }
  | { t: 'command'; conversationId: string; commandId: string };

export interface BackendOptions {
  now?: () => number;
  faq?: readonly FaqEntry[];
  agents?: readonly Agent[];
  /** Called synchronously with every change before it is acknowledged or broadcast. */
  persist?: (record: BackendRecord) => void;
  /** Whether agents are on duty at `now` (business hours). Always, by default. */
  isOpen?: (now: number) => boolean;
  /** Average time an agent spends on one conversation; drives the estimated wait. */
  averageHandleSeconds?: number;
  /** Counter used for server ids; tests may pin it. */
  idPrefix?: string;
}

interface Conversation {
  readonly id: string;
  readonly visitorId: string;
  readonly createdAt: number;
  readonly locale: string;
  readonly events: { seq: number; event: ConversationEvent }[];
  readonly messages: Message[];
  readonly commandIds: Set<string>;
  routing: RoutingState;
  /** When it joined the queue, while queued. */
  queuedAt: number | null;
}

type Sink<F> = (frame: F) => void;

export interface BuyerConnection {
  /** Handles one frame from the buyer: JSON text or an already-parsed value. Never throws. */
  receive(data: unknown): void;
  close(): void;
}

export interface AgentConnection {
  receive(frame: DeskClientFrame): void;
  close(): void;
}

const refuse = (code: string, message: string, retryable = false): WireError => ({ code, message, retryable });

/**
 * The support backend's rules, in process: conversations and their ordered events, the bot, the
 * agent queue, idempotent commands. The in-memory transport and the reference server both run it,
 * so the demo and the server behave the same.
 */
export class SupportBackend {
  private readonly now: () => number;
  private readonly faq: FaqIndex;
  private readonly agents: readonly Agent[];
  private readonly persist: (record: BackendRecord) => void;
  private readonly isOpen: (now: number) => boolean;
  private readonly averageHandleSeconds: number;
  private readonly conversations = new Map<string, Conversation>();
  private readonly latestByVisitor = new Map<string, string>();
  private readonly buyers = new Map<string, Set<Sink<ServerFrame>>>();
  private readonly desks = new Map<Sink<DeskServerFrame>, Agent>();
  private idCounter = 0;
  /** Issued in the order conversations join the queue: first come, first served. */
  private queueTicket = 0;
  private readonly idPrefix: string;
  private restoring = false;

  constructor(options: BackendOptions = {}) {
    this.now = options.now ?? Date.now;
    this.faq = createFaqIndex(options.faq ?? DEMO_FAQ);
    this.agents = options.agents ?? DEMO_AGENTS;
    this.persist = options.persist ?? (() => {});
    this.isOpen = options.isOpen ?? (() => true);
    this.averageHandleSeconds = options.averageHandleSeconds ?? 180;
    this.idPrefix = options.idPrefix ?? this.now().toString(36);
  }

  /** Rebuilds state from records written by `persist` (the reference server's log). */
  restore(records: Iterable<BackendRecord>): void {
    this.restoring = true;
    try {
      for (const record of records) this.apply(record);
    } finally {
      this.restoring = false;
    }
  }

  /** Agents known to this backend (the desk signs in as one of them). */
  listAgents(): readonly Agent[] {
    return this.agents;
  }

  // ------------------------------------------------------------------ buyers

  connectBuyer(sink: Sink<ServerFrame>): BuyerConnection {
    let conversationId: string | null = null;
    const send = (frame: ServerFrame) => {
      try {
        sink(frame);
      } catch {
        /* a broken sink must not break the backend */
      }
    };
    const detach = () => {
      if (conversationId) this.buyers.get(conversationId)?.delete(send);
    };
    return {
      receive: (data) => {
        const decoded = typeof data === 'string' ? decodeClientFrame(data) : validateClientFrame(data);
        if (!decoded.ok) {
          send({ v: PROTOCOL_VERSION, kind: 'error', error: refuse('protocol', decoded.error.message) });
          return;
        }
        const frame = decoded.frame;
        if (frame.kind === 'session.start') {
          detach();
          conversationId = this.startSession(frame, send);
          return;
        }
        if (frame.kind === 'ping') {
          send({ v: PROTOCOL_VERSION, kind: 'pong', id: frame.id });
          return;
        }
        if (!conversationId) {
          if (frame.kind === 'command') send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: refuse('unauthorized', 'no session: send session.start first', true) });
          else send({ v: PROTOCOL_VERSION, kind: 'error', error: refuse('unauthorized', 'no session: send session.start first') });
          return;
        }
        this.handleBuyerFrame(conversationId, frame, send);
      },
      close: detach,
    };
  }

  private startSession(frame: Extract<ClientFrame, { kind: 'session.start' }>, send: Sink<ServerFrame>): string {
    const visitorId = frame.visitor.visitorId;
    let conversation = frame.conversationId ? this.conversations.get(frame.conversationId) : undefined;
    // A conversation id from another visitor is never honoured: that visitor gets their own.
    if (!conversation || conversation.visitorId !== visitorId) {
      const latest = this.latestByVisitor.get(visitorId);
      conversation = latest ? this.conversations.get(latest) : undefined;
    }
    if (!conversation) conversation = this.createConversation(visitorId, frame.locale ?? 'zh-CN');
    let set = this.buyers.get(conversation.id);
    if (!set) this.buyers.set(conversation.id, (set = new Set()));
    set.add(send);
    const lastSeq = conversation.events.at(-1)?.seq ?? 0;
    send({ v: PROTOCOL_VERSION, kind: 'session.ready', conversationId: conversation.id, visitorId, lastSeq, routing: conversation.routing });
    // The device is ahead of us only if our history was lost: then it gets everything again.
    const from = frame.afterSeq > lastSeq || frame.conversationId !== conversation.id ? 0 : frame.afterSeq;
    for (const { seq, event } of conversation.events) {
      if (seq > from) send({ v: PROTOCOL_VERSION, kind: 'event', conversationId: conversation.id, seq, event });
    }
    return conversation.id;
  }

  private handleBuyerFrame(conversationId: string, frame: ClientFrame, send: Sink<ServerFrame>): void {
    const conversation = this.conversations.get(conversationId)!;
    if (frame.kind === 'signal') {
      for (const [desk, agent] of this.desks) {
        if (conversation.routing.phase === 'agent' && conversation.routing.agent.id === agent.id) {
          desk({ kind: 'desk.typing', conversationId, on: frame.signal.on });
        }
      }
      return;
    }
    if (frame.kind !== 'command') return;
    if (conversation.commandIds.has(frame.id)) {
      // Seen before (a resend after a lost ack): acknowledge again, apply nothing.
      send({ v: PROTOCOL_VERSION, kind: 'ack', id: frame.id });
      return;
    }
    const refusal = this.runCommand(conversation, frame.id, frame.command);
    if (refusal) send({ v: PROTOCOL_VERSION, kind: 'nack', id: frame.id, error: refusal });
    else send({ v: PROTOCOL_VERSION, kind: 'ack', id: frame.id });
  }

  private runCommand(conversation: Conversation, commandId: string, command: Command): WireError | null {
    switch (command.type) {
      case 'message.send': {
        if (command.body.kind !== 'text') return refuse('refused', 'buyers can only send text here');
        this.appendMessage(conversation, { role: 'buyer' }, command.body, commandId);
        if (conversation.routing.phase === 'bot' || conversation.routing.phase === 'ended') {
          this.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botReply(this.faq, command.body.text, conversation.locale));
        }
        if (conversation.routing.phase === 'queued') this.broadcastQueue();
        return null;
      }
      case 'handoff.request': {
        this.record({ t: 'command', conversationId: conversation.id, commandId });
        const phase = conversation.routing.phase;
        if (phase === 'queued' || phase === 'agent') return null; // already on the way: idempotent by meaning too
        if (!this.isOpen(this.now())) {
          this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'offline', reason: 'closed-hours' } });
          return null;
        }
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'queued', position: this.queue().length + 1, etaSeconds: 0 } });
        this.refreshQueue();
        return null;
      }
      case 'handoff.cancel': {
        this.record({ t: 'command', conversationId: conversation.id, commandId });
        if (conversation.routing.phase !== 'queued') return null;
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'bot' } });
        this.refreshQueue();
        return null;
      }
    }
  }

  // ------------------------------------------------------------------ agents

  connectAgent(agent: Agent, sink: Sink<DeskServerFrame>): AgentConnection {
    const send: Sink<DeskServerFrame> = (frame) => {
      try {
        sink(frame);
      } catch {
        /* ignore a broken desk */
      }
    };
    this.desks.set(send, agent);
    send({ kind: 'desk.ready', agent, queue: this.queueItems(), mine: this.conversationsOf(agent).map((c) => this.deskView(c)) });
    this.refreshQueue(); // one more agent on duty shortens every estimate
    return {
      receive: (frame) => this.handleDeskFrame(agent, frame, send),
      close: () => {
        this.desks.delete(send);
        this.refreshQueue();
      },
    };
  }

  private handleDeskFrame(agent: Agent, frame: DeskClientFrame, send: Sink<DeskServerFrame>): void {
    const conversation = typeof frame?.conversationId === 'string' ? this.conversations.get(frame.conversationId) : undefined;
    if (!conversation) {
      send({ kind: 'desk.error', message: 'no such conversation' });
      return;
    }
    const ownedByAgent = conversation.routing.phase === 'agent' && conversation.routing.agent.id === agent.id;
    switch (frame.kind) {
      case 'desk.take': {
        if (conversation.routing.phase !== 'queued') {
          send({ kind: 'desk.error', message: 'this conversation is not waiting in the queue' });
          return;
        }
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'agent', agent } });
        this.appendMessage(conversation, { role: 'system' }, { kind: 'notice', text: joinedNotice(agent.name, conversation.locale) });
        this.refreshQueue();
        send({ kind: 'desk.conversation', conversation: this.deskView(conversation) });
        return;
      }
      case 'desk.reply': {
        if (!ownedByAgent) {
          send({ kind: 'desk.error', message: 'take the conversation before replying' });
          return;
        }
        const text = typeof frame.text === 'string' ? frame.text.trim() : '';
        if (!text || text.length > LIMITS.messageText || typeof frame.id !== 'string' || frame.id.length > LIMITS.id) {
          send({ kind: 'desk.error', message: 'a reply needs an id and 1 to 20,000 characters of text' });
          return;
        }
        if (conversation.commandIds.has(frame.id)) return;
        this.appendMessage(conversation, { role: 'agent', name: agent.name }, { kind: 'text', text }, frame.id);
        return;
      }
      case 'desk.typing':
        if (!ownedByAgent) return;
        for (const buyer of this.buyers.get(conversation.id) ?? []) {
          buyer({ v: PROTOCOL_VERSION, kind: 'signal', conversationId: conversation.id, signal: { type: 'typing', on: frame.on === true, by: { role: 'agent', name: agent.name } } });
        }
        return;
      case 'desk.end':
        if (!ownedByAgent) return;
        this.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'ended', agent } });
        return;
      default:
        send({ kind: 'desk.error', message: 'unknown desk frame' });
    }
  }

  // ------------------------------------------------------------------ state changes

  private createConversation(visitorId: string, locale: string): Conversation {
    const id = `conv_${this.idPrefix}_${(++this.idCounter).toString(36)}`;
    this.record({ t: 'conversation', id, visitorId, createdAt: this.now(), locale });
    const conversation = this.conversations.get(id)!;
    this.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botWelcome(locale));
    return conversation;
  }

  private appendMessage(conversation: Conversation, author: Message['author'], body: MessageBody, clientId?: string): void {
    const seq = (conversation.events.at(-1)?.seq ?? 0) + 1;
    const message: Message = {
      id: `m_${conversation.id.slice(5)}_${seq}`,
      ...(clientId ? { clientId } : {}),
      conversationId: conversation.id,
      seq,
      author,
      body,
      createdAt: this.now(),
    };
    this.appendEvent(conversation, { type: 'message.created', message }, clientId);
  }

  private appendEvent(conversation: Conversation, event: ConversationEvent, commandId?: string): void {
    const seq = (conversation.events.at(-1)?.seq ?? 0) + 1;
    this.record({ t: 'event', conversationId: conversation.id, seq, event, ...(commandId ? { commandId } : {}) });
    for (const buyer of this.buyers.get(conversation.id) ?? []) {
      buyer({ v: PROTOCOL_VERSION, kind: 'event', conversationId: conversation.id, seq, event });
    }
    for (const [desk, agent] of this.desks) {
      const owner = conversation.routing.phase === 'agent' || conversation.routing.phase === 'ended' ? conversation.routing.agent?.id : undefined;
      if (owner === agent.id) desk({ kind: 'desk.event', conversationId: conversation.id, seq, event });
    }
  }

  /** Writes a record down, then applies it: the only way state changes. */
  private record(record: BackendRecord): void {
    if (!this.restoring) this.persist(record);
    this.apply(record);
  }

  private apply(record: BackendRecord): void {
    switch (record.t) {
      case 'conversation': {
        this.conversations.set(record.id, {
          id: record.id, visitorId: record.visitorId, createdAt: record.createdAt, locale: record.locale,
          events: [], messages: [], commandIds: new Set(), routing: { phase: 'bot' }, queuedAt: null,
        });
        this.latestByVisitor.set(record.visitorId, record.id);
        const n = Number.parseInt(record.id.split('_').at(-1) ?? '', 36);
        if (Number.isFinite(n) && record.id.startsWith(`conv_${this.idPrefix}_`)) this.idCounter = Math.max(this.idCounter, n);
        return;
      }
      case 'command':
        this.conversations.get(record.conversationId)?.commandIds.add(record.commandId);
        return;
      case 'event': {
        const c = this.conversations.get(record.conversationId);
        if (!c) return;
        c.events.push({ seq: record.seq, event: record.event });
        if (record.commandId) c.commandIds.add(record.commandId);
        if (record.event.type === 'message.created') c.messages.push(record.event.message);
        else {
          const wasQueued = c.routing.phase === 'queued';
          c.routing = record.event.routing;
          if (c.routing.phase === 'queued' && !wasQueued) c.queuedAt = ++this.queueTicket;
          if (c.routing.phase !== 'queued') c.queuedAt = null;
        }
        return;
      }
    }
  }

  // ------------------------------------------------------------------ queue

  private queue(): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.routing.phase === 'queued').sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0));
  }

  /** Recomputes every queued conversation's position and wait, announcing the ones that changed. */
  private refreshQueue(): void {
    const queue = this.queue();
    const agentsOnDuty = Math.max(1, new Set(this.desks.values()).size);
    queue.forEach((c, i) => {
      const position = i + 1;
      const etaSeconds = Math.round((Math.ceil(position / agentsOnDuty) * this.averageHandleSeconds) / 60) * 60;
      const r = c.routing;
      if (r.phase === 'queued' && r.position === position && r.etaSeconds === etaSeconds) return;
      this.appendEvent(c, { type: 'routing.changed', routing: { phase: 'queued', position, etaSeconds } });
    });
    this.broadcastQueue();
  }

  private broadcastQueue(): void {
    const queue = this.queueItems();
    for (const desk of this.desks.keys()) desk({ kind: 'desk.queue', queue });
  }

  private queueItems(): QueueItem[] {
    return this.queue().map((c, i) => {
      const lastBuyer = [...c.messages].reverse().find((m) => m.author.role === 'buyer');
      return {
        conversationId: c.id,
        visitorId: c.visitorId,
        position: i + 1,
        waitingSince: c.messages.at(-1)?.createdAt ?? c.createdAt,
        preview: lastBuyer && lastBuyer.body.kind === 'text' ? lastBuyer.body.text.slice(0, 140) : '',
      };
    });
  }

  private conversationsOf(agent: Agent): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.routing.phase === 'agent' && c.routing.agent.id === agent.id);
  }

  private deskView(c: Conversation): DeskConversation {
    return { id: c.id, visitorId: c.visitorId, routing: c.routing, messages: [...c.messages] };
  }

  // ------------------------------------------------------------------ inspection (tests, desk)

  /** A conversation's messages, for tests and tools. */
  messagesOf(conversationId: string): readonly Message[] {
    return this.conversations.get(conversationId)?.messages ?? [];
  }
}

function joinedNotice(name: string, locale: string): string {
  return locale.startsWith('zh') ? `客服 ${name} 已接入，为您服务` : `${name} has joined the chat`;
}
