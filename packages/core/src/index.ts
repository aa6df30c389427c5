export { createClient, type ClientOptions, type XiaoerClient } from './client.js';
export type { ClientEvents } from './events.js';
export {
  XiaoerError,
  TransportError,
  ProtocolError,
  RefusedError,
  InvalidTransitionError,
  errorFromWire,
  type XiaoerErrorCode,
} from './errors.js';
export { createClientId } from './ids.js';
export { LIMITS } from './domain/limits.js';
export {
  textBody,
  type Author,
  type AuthorRole,
  type Message,
  type MessageBody,
  type Suggestion,
  MessageSchema,
  MessageBodySchema,
} from './domain/message.js';
export { INITIAL_ROUTING, type Agent, type RoutingState, type RoutingPhase } from './domain/routing.js';
export { PROTOCOL_VERSION } from './protocol/version.js';
export type {
  ClientFrame,
  ServerFrame,
  Command,
  CommandFrame,
  SessionStartFrame,
  EventFrame,
  ConversationEvent,
  Visitor,
  WireError,
} from './protocol/frames.js';
export {
  decodeClientFrame,
  decodeServerFrame,
  validateClientFrame,
  validateServerFrame,
  parseFrameText,
  encodeFrame,
  MAX_FRAME_BYTES,
} from './protocol/codec.js';
export type { Transport, TransportCapabilities, TransportConnectOptions, TransportEvent, TransportStatus } from './transport.js';
export { createStore, type Store } from './store/store.js';
export type { Action } from './store/actions.js';
export { reducer } from './store/reducer.js';
export { INITIAL_STATE, type ClientState, type ConnectionState, type OutboxEntry, type ConversationCache } from './store/state.js';
export { selectTimeline, countFromOthersAfter, type TimelineItem, type DeliveryState } from './store/selectors.js';
export { createMemoryStorage, type Storage } from './storage/storage.js';
export { createIdbStorage, hasIndexedDb } from './storage/idb.js';
export { createFaqIndex, faqTerms, type FaqEntry, type FaqHit, type FaqIndex, type FaqSearchOptions } from './domain/faq.js';
