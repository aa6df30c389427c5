import { PROTOCOL_VERSION, type ConversationEvent, type Message, type MessageBody } from '@xiaoer/core';
import type { DeskBuyer } from './desk-protocol.js';
import { applyRecord, type BackendRecord, type CommandMark } from './records.js';
import type { BackendState, Config, Conversation } from './state.js';
import { botWelcome } from './bot.js';

/**
 * The only way state changes: every change is written as a record (persisted first, then applied),
 * and every conversation event is told to the buyer's devices and the agent's desk as it happens.
 */
export class Ledger {
  private restoring = false;
  /** The command being applied: the first record it writes carries it. */
  private pendingMark: CommandMark | null = null;

  constructor(
    readonly state: BackendState,
    private readonly config: Config,
    private readonly persist: (record: BackendRecord) => void,
  ) {}

  /** Rebuilds state from records written by `persist` (the reference server's log). Safe to repeat. */
  restore(records: Iterable<BackendRecord>): void {
    this.restoring = true;
    try {
      for (const record of records) {
        try {
          applyRecord(this.state, record);
        } catch {
          // A record this version cannot apply must not stop the rest from loading.
        }
      }
    } finally {
      this.restoring = false;
    }
  }

  /** From here on the command is accepted: the next record written completes it (see `record`). */
  accept(conversation: Conversation, commandId: string, result?: Readonly<Record<string, unknown>>): void {
    this.pendingMark = { conversationId: conversation.id, commandId, ...(result ? { result } : {}) };
  }

  /**
   * Ends a command's run. An accepted command that wrote nothing (a no-op such as a second handoff
   * request) is still remembered, by its id alone, so a resend is acknowledged and not applied.
   */
  settle(accepted: boolean): void {
    const mark = this.pendingMark;
    this.pendingMark = null;
    if (accepted && mark) this.record({ t: 'command', conversationId: mark.conversationId, commandId: mark.commandId, ...(mark.result ? { result: mark.result } : {}) });
  }

  /** Drops an unfinished mark: a command that threw must not be remembered as applied. */
  abandon(): void {
    this.pendingMark = null;
  }

  /** Writes a record down, then applies it. */
  record(record: BackendRecord): void {
    let written = record;
    if (this.pendingMark && !this.restoring) {
      written = { ...record, cmd: this.pendingMark };
      this.pendingMark = null;
    }
    if (!this.restoring) this.persist(written);
    applyRecord(this.state, written);
  }

  newId(kind: string): string {
    return `${kind}-${this.state.idPrefix}-${(++this.state.idCounter).toString(36)}`;
  }

  createConversation(visitorId: string, locale: string, buyer?: DeskBuyer): Conversation {
    const id = `conv_${this.state.idPrefix}_${(++this.state.idCounter).toString(36)}`;
    this.record({
      t: 'conversation', id, visitorId, createdAt: this.config.now(), locale,
      ...(buyer ? { buyerId: buyer.id, ...(buyer.name ? { buyerName: buyer.name } : {}) } : {}),
    });
    const conversation = this.state.conversations.get(id)!;
    this.appendMessage(conversation, { role: 'bot', name: 'Xiaoer' }, botWelcome(locale, { agentsAvailable: this.config.isOpen(this.config.now()) }));
    return conversation;
  }

  /** The buyer's conversation, started now if they never chatted (so a proactive notice has a home). */
  conversationForBuyer(buyerId: string): Conversation {
    const id = this.state.latestByBuyer.get(buyerId);
    const existing = id ? this.state.conversations.get(id) : undefined;
    if (existing) return existing;
    const name = this.state.buyers.get(buyerId)?.name;
    return this.createConversation(`buyer:${buyerId}`, 'zh-CN', { id: buyerId, ...(name ? { name } : {}) });
  }

  appendMessage(conversation: Conversation, author: Message['author'], body: MessageBody, clientId?: string): void {
    const seq = (conversation.events.at(-1)?.seq ?? 0) + 1;
    const message: Message = {
      id: `m_${conversation.id.slice(5)}_${seq}`,
      ...(clientId ? { clientId } : {}),
      conversationId: conversation.id,
      seq,
      author,
      body,
      createdAt: this.config.now(),
    };
    this.appendEvent(conversation, { type: 'message.created', message }, clientId);
  }

  appendEvent(conversation: Conversation, event: ConversationEvent, commandId?: string): void {
    const seq = (conversation.events.at(-1)?.seq ?? 0) + 1;
    this.record({ t: 'event', conversationId: conversation.id, seq, event, ...(commandId ? { commandId } : {}) });
    for (const buyer of this.state.buyerSinks.get(conversation.id) ?? []) {
      buyer({ v: PROTOCOL_VERSION, kind: 'event', conversationId: conversation.id, seq, event });
    }
    const owner = conversation.lastAgentId;
    if (owner === undefined) return;
    for (const [desk, deskState] of this.state.desks) {
      if (deskState.agent.id === owner) desk({ kind: 'desk.event', conversationId: conversation.id, seq, event });
    }
  }
}
