import type { Command } from '@xiaoer/core';
import { done, type Outcome } from './outcome.js';
import type { BackendState, Context, Conversation } from './state.js';

export type RoutingCommand = Extract<Command, { type: 'handoff.request' | 'handoff.cancel' }>;

/** The conversations waiting for an agent, first come first served. */
export function queued(state: BackendState): Conversation[] {
  return [...state.conversations.values()].filter((c) => c.routing.phase === 'queued').sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0));
}

/** Recomputes every queued conversation's position and wait, announcing the ones that changed. */
export function refreshQueue(ctx: Context): void {
  const queue = queued(ctx.state);
  const agentsOnDuty = Math.max(1, new Set([...ctx.state.desks.values()].map((d) => d.agent.id)).size);
  queue.forEach((c, i) => {
    const position = i + 1;
    const etaSeconds = Math.round((Math.ceil(position / agentsOnDuty) * ctx.config.averageHandleSeconds) / 60) * 60;
    const r = c.routing;
    if (r.phase === 'queued' && r.position === position && r.etaSeconds === etaSeconds) return;
    ctx.ledger.appendEvent(c, { type: 'routing.changed', routing: { phase: 'queued', position, etaSeconds } });
  });
  ctx.notify.queue();
}

/** A buyer asking for a person, or no longer waiting for one. */
export function runRoutingCommand(ctx: Context, conversation: Conversation, commandId: string, command: RoutingCommand, now: number): Outcome {
  const { ledger } = ctx;
  ledger.accept(conversation, commandId);
  const phase = conversation.routing.phase;
  if (command.type === 'handoff.cancel') {
    if (phase !== 'queued') return done(undefined);
    ledger.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'bot' } });
    refreshQueue(ctx);
    return done(undefined);
  }
  if (phase === 'queued' || phase === 'agent') return done(undefined); // already on the way: idempotent by meaning too
  if (!ctx.config.isOpen(now)) {
    ledger.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'offline', reason: 'closed-hours' } });
    return done(undefined);
  }
  ledger.appendEvent(conversation, { type: 'routing.changed', routing: { phase: 'queued', position: queued(ctx.state).length + 1, etaSeconds: 0 } });
  refreshQueue(ctx);
  return done(undefined);
}
