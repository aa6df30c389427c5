/** Hard limits the protocol enforces on untrusted data. Servers enforce the same numbers. */
export const LIMITS = {
  /** Longest message text accepted, in UTF-16 code units. The widget clips long ones for display. */
  messageText: 20_000,
  /** Longest display name (agent, bot, buyer). */
  displayName: 80,
  /** Longest id of any kind. */
  id: 128,
  /** Most messages a client keeps in its local history cache. */
  cachedMessages: 500,
} as const;
