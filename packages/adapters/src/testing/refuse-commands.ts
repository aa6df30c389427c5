/**
 * Test-only: makes a backend answer a share of buyer commands with a transient refusal — a
 * `nack` with `retryable: true`, code `internal` — without applying them, as a shop's backend does
 * when its database hiccups. Wraps every buyer connection opened from now on (WebSocket and SSE
 * alike). Not exported from any public entry point; tests import this file directly.
 *
 * @example
 * const refusals = refuseCommands(server.backend, { share: 0.02, random: rng.next })
 * refusals.refuseNext() // and the very next one, whatever the share
 * console.log(refusals.refused, 'commands refused for now')
 */
export interface CommandRefuser {
  /** Commands answered with a transient refusal so far. */
  readonly refused: number;
  setShare(share: number): void;
  /** Refuses the next `count` commands, whatever the share (a scheduled fault rather than a rate). */
  refuseNext(count?: number): void;
  /** Puts the backend's own `connectBuyer` back (connections opened meanwhile keep the wrapper). */
  restore(): void;
}

type Sink = (frame: unknown) => void;
interface Connection {
  receive(data: unknown): void;
  close(): void;
}

/** The part of `SupportBackend` this hook wraps. */
export interface BuyerConnectionHost {
  connectBuyer(sink: never, ...rest: never[]): unknown;
}

function commandId(data: unknown): string | null {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as { v?: unknown; kind?: unknown; id?: unknown; command?: unknown };
  if (frame.v !== 1 || frame.kind !== 'command' || typeof frame.id !== 'string' || typeof frame.command !== 'object') return null;
  return frame.id;
}

export function refuseCommands(backend: BuyerConnectionHost, { share, random = Math.random }: { share: number; random?: () => number }): CommandRefuser {
  const host = backend as unknown as { connectBuyer: (sink: Sink, ...rest: unknown[]) => Connection };
  const original = host.connectBuyer;
  let current = share;
  let refused = 0;
  let owed = 0;
  host.connectBuyer = function (this: unknown, sink: Sink, ...rest: unknown[]) {
    const connection = original.call(backend, sink, ...rest);
    return {
      receive(data: unknown) {
        const id = current > 0 || owed > 0 ? commandId(data) : null;
        if (id !== null && (owed > 0 || random() < current)) {
          if (owed > 0) owed--;
          refused++;
          sink({ v: 1, kind: 'nack', id, error: { code: 'internal', message: 'try again (chaos)', retryable: true } });
          return;
        }
        connection.receive(data);
      },
      close: () => connection.close(),
    };
  };
  return {
    get refused() {
      return refused;
    },
    setShare(next) {
      current = next;
    },
    refuseNext(count = 1) {
      owed += count;
    },
    restore() {
      host.connectBuyer = original;
    },
  };
}
