/**
 * Test-only: makes a backend lose a share of its `ack` frames on the way out, as a flaky link
 * would, by wrapping the sink of every buyer connection opened from now on (WebSocket and SSE
 * alike, since both reach the backend through `connectBuyer`). Not exported from any public entry
 * point; tests import this file directly.
 *
 * @example
 * const acks = dropAcks(server.backend, { share: 0.2, random: rng.next })
 * // … run the test …
 * console.log(acks.dropped, 'acks dropped of', acks.seen)
 * acks.restore()
 */
export interface AckDropper {
  /** Acks swallowed so far. */
  readonly dropped: number;
  /** Acks the backend sent so far (dropped or not): one per command frame it answered. */
  readonly seen: number;
  /** Changes the share of acks dropped from now on (0 stops dropping). */
  setShare(share: number): void;
  /** Puts the backend's own `connectBuyer` back (connections opened meanwhile keep the wrapper). */
  restore(): void;
}

type Sink = (frame: { readonly kind: string }) => void;

/** The part of `SupportBackend` this hook wraps. */
export interface BuyerSinkHost {
  connectBuyer(sink: never, ...rest: never[]): unknown;
}

export function dropAcks(backend: BuyerSinkHost, { share, random = Math.random }: { share: number; random?: () => number }): AckDropper {
  const host = backend as unknown as { connectBuyer: (sink: Sink, ...rest: unknown[]) => unknown };
  const original = host.connectBuyer;
  let current = share;
  let dropped = 0;
  let seen = 0;
  host.connectBuyer = function (this: unknown, sink: Sink, ...rest: unknown[]) {
    const lossy: Sink = (frame) => {
      if (frame.kind === 'ack') {
        seen++;
        if (current > 0 && random() < current) {
          dropped++;
          return;
        }
      }
      sink(frame);
    };
    return original.call(backend, lossy, ...rest);
  };
  return {
    get dropped() {
      return dropped;
    },
    get seen() {
      return seen;
    },
    setShare(next) {
      current = next;
    },
    restore() {
      host.connectBuyer = original;
    },
  };
}
