import { IDENTITY_EXPIRED, PROTOCOL_VERSION, type ServerFrame } from '@xiaoer/core';
import { refuse } from './outcome.js';
import type { Sink } from './state.js';

/** How long before a signed identity expires the server tells the client to renew it, by default. */
export const IDENTITY_WARNING_MS = 60_000;

/** setTimeout fires at once past this delay (2³¹−1 ms, ~24.8 days): longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The refusal of everything buyer-private while the session's identity is expired: renew, then retry. */
export const identityExpired = () =>
  refuse('unauthorized', 'the buyer identity has expired: renew it with session.start', { reason: IDENTITY_EXPIRED, retryable: true });

/**
 * Tells one connection about its identity's expiry: `identity.expiring` `warningMs` before it (at
 * once when that moment has passed), then an `error` (`identity-expired`, retryable) when it comes.
 * Only a courtesy: the refusal itself is checked against the clock on every frame, so a late or
 * lost timer never lets an expired identity through. Returns the function that stops both timers.
 */
export function watchIdentityExpiry(now: () => number, expires: number, warningMs: number, send: Sink<ServerFrame>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let warned = false;
  const step = () => {
    const t = now();
    if (t >= expires) {
      send({ v: PROTOCOL_VERSION, kind: 'error', error: identityExpired() });
      return;
    }
    if (!warned && t >= expires - warningMs) {
      warned = true;
      send({ v: PROTOCOL_VERSION, kind: 'identity.expiring', expires });
    }
    const next = warned ? expires : expires - warningMs;
    timer = setTimeout(step, Math.min(MAX_TIMER_MS, Math.max(0, next - t)));
    // A pending reminder must not keep a Node process (tests, the server at shutdown) alive.
    (timer as { unref?: () => void }).unref?.();
  };
  step();
  return () => clearTimeout(timer);
}
