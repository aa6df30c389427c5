import type { ClientFrame, Transport, TransportConnectOptions } from '@xiaoer/core';
import { SupportBackend, type BuyerConnection } from './backend.js';
import { createTransportListeners } from '../shared/listeners.js';

export interface MemoryTransportOptions {
  /** The backend to talk to; a fresh seeded demo backend by default. */
  backend?: SupportBackend;
  /** Simulated one-way latency, ms. */
  latencyMs?: number;
  /**
   * The logged-in buyer. Trusted as is: in process there is no network boundary for a signature
   * to cross. Without it the visitor is anonymous (unless the client sends a signed identity the
   * backend can verify).
   */
  buyer?: { id: string; name?: string };
}

/**
 * A Transport to an in-process demo backend: the embedded default, for demos, the catalog and
 * tests. Frames cross as JSON, asynchronously, like on a real link.
 *
 * @example
 * const client = createClient({ transport: createMemoryTransport({ buyer: { id: 'buyer-demo', name: '王小明' } }) })
 */
export function createMemoryTransport(options: MemoryTransportOptions = {}): Transport & { readonly backend: SupportBackend } {
  const backend = options.backend ?? new SupportBackend();
  const latency = options.latencyMs ?? 0;
  const { emit, subscribe } = createTransportListeners();
  const later = (fn: () => void) => (latency > 0 ? setTimeout(fn, latency) : queueMicrotask(fn));
  let connection: BuyerConnection | null = null;

  return {
    spec: 'v1',
    capabilities: { signals: true, resume: true },
    backend,
    connect({ hello, signal }: TransportConnectOptions) {
      if (signal.aborted) return;
      emit({ type: 'status', status: 'connecting', attempt: 0 });
      const conn = backend.connectBuyer(
        (frame) => {
          const text = JSON.stringify(frame);
          later(() => {
            if (connection === conn) emit({ type: 'frame', data: JSON.parse(text) });
          });
        },
        options.buyer ? { buyer: options.buyer } : {},
      );
      connection = conn;
      later(() => {
        if (connection !== conn) return;
        emit({ type: 'status', status: 'open' });
        conn.receive(JSON.stringify(hello()));
      });
      signal.addEventListener('abort', () => {
        conn.close();
        if (connection === conn) connection = null;
        emit({ type: 'status', status: 'closed' });
      }, { once: true });
    },
    subscribe,
    send(frame: ClientFrame) {
      const conn = connection;
      if (!conn) return false;
      const text = JSON.stringify(frame);
      later(() => conn.receive(text));
      return true;
    },
  };
}
