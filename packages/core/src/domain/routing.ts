import * as v from 'valibot';
import { LIMITS } from './limits.js';

const Name = v.pipe(v.string(), v.maxLength(LIMITS.displayName));

/** A human agent as the buyer sees them. */
export const AgentSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.id)),
  name: Name,
});
export type Agent = v.InferOutput<typeof AgentSchema>;

/**
 * Who is answering the conversation (tiered service):
 * bot → queued (live position and estimated wait) → agent → ended; offline when nobody can take it.
 */
export const RoutingStateSchema = v.variant('phase', [
  v.object({ phase: v.literal('bot') }),
  v.object({
    phase: v.literal('queued'),
    /** 1-based place in the queue. */
    position: v.pipe(v.number(), v.integer(), v.minValue(1)),
    etaSeconds: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  /** `sessionId` names this agent session; the satisfaction rating is given once per session. */
  v.object({ phase: v.literal('agent'), agent: AgentSchema, sessionId: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.id))) }),
  v.object({ phase: v.literal('ended'), agent: v.optional(AgentSchema), sessionId: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.id))) }),
  /** The buyer rated the session that ended. */
  v.object({ phase: v.literal('rated'), sessionId: v.pipe(v.string(), v.maxLength(LIMITS.id)) }),
  v.object({ phase: v.literal('offline'), reason: v.picklist(['closed-hours', 'no-agent']) }),
]);
export type RoutingState = v.InferOutput<typeof RoutingStateSchema>;
export type RoutingPhase = RoutingState['phase'];

export const INITIAL_ROUTING: RoutingState = { phase: 'bot' };
