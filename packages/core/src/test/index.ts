export { MockTransport } from './mock-transport.js';
export { CONVERSATION_ID, readyFrame, message, messageFrame, routingFrame } from './fixtures.js';
export { createFakeLocks, type FakeLockManager } from './fake-locks.js';
