/**
 * One-time codes for a guest's order look-up: a 6-digit code goes to the order's contact, and
 * whoever can read it may see that one order. Codes live in memory only: they are short-lived,
 * and a restart simply means asking for a new one.
 */

/** How long a code stays valid. */
export const GUEST_CODE_TTL_MS = 10 * 60_000;
/** Wrong guesses allowed per code; after that the code is dead. */
export const GUEST_CODE_ATTEMPTS = 5;
/** Codes one conversation may ask for per window… */
export const GUEST_CODES_PER_CONVERSATION = 3;
/** …and codes one order may be sent per window, whoever asks (caps guessing across conversations). */
export const GUEST_CODES_PER_ORDER = 5;
export const GUEST_CODE_WINDOW_MS = 10 * 60_000;

export type GuestCodeRefusal = 'code-invalid' | 'code-expired' | 'too-many-attempts';

interface IssuedCode {
  readonly code: string;
  readonly expiresAt: number;
  attemptsLeft: number;
}

/** A uniformly random 6-digit string (rejection sampling: no modulo bias). */
export function randomSixDigits(): string {
  const buffer = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    crypto.getRandomValues(buffer);
    if (buffer[0]! < limit) return String(buffer[0]! % 1_000_000).padStart(6, '0');
  }
}

export class GuestCodes {
  private readonly issued = new Map<string, IssuedCode>();
  private readonly requestsByConversation = new Map<string, number[]>();
  private readonly requestsByOrder = new Map<string, number[]>();

  constructor(private readonly random: () => string = randomSixDigits) {}

  /**
   * Counts a request against the limits. Returns how long to wait when a limit is reached (the
   * same answer whether or not the order exists), else null.
   */
  admit(conversationId: string, orderId: string, now: number): number | null {
    const wait = Math.max(
      this.waitFor(this.requestsByConversation, conversationId, GUEST_CODES_PER_CONVERSATION, now),
      this.waitFor(this.requestsByOrder, orderId, GUEST_CODES_PER_ORDER, now),
    );
    if (wait > 0) return wait;
    this.push(this.requestsByConversation, conversationId, now);
    this.push(this.requestsByOrder, orderId, now);
    return null;
  }

  /** Issues a new code for (conversation, order), replacing an earlier one. */
  issue(conversationId: string, orderId: string, now: number): string {
    const code = this.random();
    this.issued.set(key(conversationId, orderId), { code, expiresAt: now + GUEST_CODE_TTL_MS, attemptsLeft: GUEST_CODE_ATTEMPTS });
    return code;
  }

  /** Checks a guess. A right guess consumes the code; a wrong one costs an attempt. */
  verify(conversationId: string, orderId: string, guess: string, now: number): { ok: true } | { ok: false; reason: GuestCodeRefusal } {
    const k = key(conversationId, orderId);
    const issued = this.issued.get(k);
    if (!issued) return { ok: false, reason: 'code-invalid' };
    if (now >= issued.expiresAt) {
      this.issued.delete(k);
      return { ok: false, reason: 'code-expired' };
    }
    if (issued.attemptsLeft <= 0) return { ok: false, reason: 'too-many-attempts' };
    if (!sameDigits(issued.code, guess)) {
      issued.attemptsLeft -= 1;
      return { ok: false, reason: issued.attemptsLeft <= 0 ? 'too-many-attempts' : 'code-invalid' };
    }
    this.issued.delete(k);
    return { ok: true };
  }

  private waitFor(map: Map<string, number[]>, id: string, max: number, now: number): number {
    const recent = (map.get(id) ?? []).filter((t) => now - t < GUEST_CODE_WINDOW_MS);
    if (recent.length === 0) map.delete(id);
    else map.set(id, recent);
    return recent.length < max ? 0 : recent[0]! + GUEST_CODE_WINDOW_MS - now;
  }

  private push(map: Map<string, number[]>, id: string, now: number): void {
    map.set(id, [...(map.get(id) ?? []), now]);
  }
}

const key = (conversationId: string, orderId: string) => `${conversationId}\u0000${orderId}`;

/** Compares without an early exit, so timing says nothing about how many digits were right. */
function sameDigits(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
