import type { Agent, ConversationEvent, Message, RoutingState } from '@xiaoer/core';

/** A conversation waiting in the queue, as the agent desk lists it. */
export interface QueueItem {
  readonly conversationId: string;
  readonly visitorId: string;
  readonly position: number;
  /** When the buyer asked for a person (ms since epoch). */
  readonly waitingSince: number;
  /** The buyer's latest message, for a glance. */
  readonly preview: string;
}

export interface DeskConversation {
  readonly id: string;
  readonly visitorId: string;
  readonly routing: RoutingState;
  readonly messages: readonly Message[];
}

/** Frames from the server to an agent desk. Not part of the buyer protocol. */
export type DeskServerFrame =
  | { kind: 'desk.ready'; agent: Agent; queue: readonly QueueItem[]; mine: readonly DeskConversation[] }
  | { kind: 'desk.queue'; queue: readonly QueueItem[] }
  | { kind: 'desk.conversation'; conversation: DeskConversation }
  | { kind: 'desk.event'; conversationId: string; seq: number; event: ConversationEvent }
  | { kind: 'desk.typing'; conversationId: string; on: boolean }
  | { kind: 'desk.error'; message: string };

/** Frames from an agent desk to the server. */
export type DeskClientFrame =
  | { kind: 'desk.take'; conversationId: string }
  | { kind: 'desk.reply'; conversationId: string; id: string; text: string }
  | { kind: 'desk.typing'; conversationId: string; on: boolean }
  | { kind: 'desk.end'; conversationId: string };
