export { MockTransport } from './mock-transport.js';
export { CONVERSATION_ID, readyFrame, messageFrame, routingFrame } from './fixtures.js';
