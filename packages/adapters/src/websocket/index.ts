export {
  createWebSocketTransport,
  type WebSocketTransportOptions,
  type WebSocketLike,
  type WebSocketConstructor,
} from './websocket-transport.js';
export { fullJitterDelay, type BackoffOptions } from '../shared/backoff.js';
export type { LinkEnvironment } from '../shared/environment.js';
