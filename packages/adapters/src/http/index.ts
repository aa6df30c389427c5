export { createHttpTransport, type HttpTransportOptions, type EventSourceLike, type EventSourceConstructor } from './sse-transport.js';
export { fullJitterDelay, type BackoffOptions } from '../shared/backoff.js';
