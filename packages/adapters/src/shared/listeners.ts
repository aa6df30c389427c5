import type { TransportEvent } from '@xiaoer/core';

/**
 * The listener set every transport keeps: `subscribe` for the client, `emit` for the transport.
 * Emitting iterates a copy, so a listener may unsubscribe while being called.
 */
export function createTransportListeners() {
  const listeners = new Set<(event: TransportEvent) => void>();
  return {
    emit(event: TransportEvent): void {
      for (const listener of [...listeners]) listener(event);
    },
    subscribe(listener: (event: TransportEvent) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
