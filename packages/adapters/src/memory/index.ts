export {
  SupportBackend,
  type BackendOptions,
  type BuyerConnectionOptions,
  type VerifiedBuyer,
  type BuyerConnection,
  type AgentConnection,
} from './backend.js';
export type { BackendRecord, CommandMark, LeftMessage, Ticket, RatingEntry } from './records.js';
export { createMemoryTransport, type MemoryTransportOptions } from './memory-transport.js';
export type {
  DeskClientFrame,
  DeskServerFrame,
  DeskConversation,
  DeskBuyer,
  DeskBuyerView,
  DeskOrder,
  DeskCase,
  DeskInbox,
  QueueItem,
} from './desk-protocol.js';
export { DEMO_FAQ, DEMO_AGENTS } from './seed.js';
export { demoShop, DEMO_BUYER, OTHER_BUYER, DEMO_BUYERS, type DemoShop, type DemoBuyer, type SeedCase, type SeedPhoto } from './seed-orders.js';
export { botReply, botWelcome, botOrderCardReply, type BotContext } from './bot.js';
export { checkPhoto, PHOTO_TOKEN, type PhotoMime } from './photos.js';
export { faqStats, type FaqStats } from './faq-stats.js';
export { GUEST_CODE_TTL_MS, GUEST_CODE_ATTEMPTS } from './guest-codes.js';
