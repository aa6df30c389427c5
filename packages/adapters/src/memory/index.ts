export { SupportBackend, type BackendOptions, type BackendRecord, type BuyerConnection, type AgentConnection } from './backend.js';
export { createMemoryTransport, type MemoryTransportOptions } from './memory-transport.js';
export type { DeskClientFrame, DeskServerFrame, DeskConversation, QueueItem } from './desk-protocol.js';
export { DEMO_FAQ, DEMO_AGENTS } from './seed.js';
export { botReply, botWelcome } from './bot.js';
