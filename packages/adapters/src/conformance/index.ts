/**
 * The conformance kit: checks that a shop's backend speaks the Xiaoer wire protocol
 * (`docs/protocol.md`) — sessions, idempotent commands, resume by sequence, ordering, error codes,
 * identity, isolation — over a WebSocket or HTTP + Server-Sent Events. Browser-safe: it opens
 * connections with the WebSocket / EventSource / fetch it is given (or the global ones).
 * The `xiaoer-conformance` command runs it from a terminal.
 */
export { runConformance } from './run.js';
export { formatReport } from './report.js';
export { CHECK_IDS } from './checks.js';
export type { CheckResult, CheckStatus, ConformanceOptions, IdentitySource, Report } from './types.js';
