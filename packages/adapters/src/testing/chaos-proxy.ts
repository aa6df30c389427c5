import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * Test-only chaos toolkit: a TCP proxy on 127.0.0.1 that sits between a client and a server and
 * breaks the link on demand. Not exported from any public entry point of `@xiaoer/adapters`;
 * tests import this file directly.
 *
 * - `cut()`: both sides are destroyed (the peers see an orderly or abrupt close, as after a crash).
 * - `reset()`: both sides get a TCP RST (`socket.resetAndDestroy()`), as from a middlebox.
 * - `cutUpstreamAfter(n, { startAfter })`: an outage in the middle of an upload: exactly `n` more bytes
 *   go client → server (counted from now, or from just after a marker such as the `\r\n\r\n` that
 *   ends an HTTP request's headers), then the server sees that connection end and every connection
 *   is cut at that same moment (so an answer to a complete upload is lost too).
 * - `stall(ms?)`: the link goes half-open: nothing is forwarded either way and nothing is closed,
 *   so only a heartbeat can tell. `blackhole: true` also holds connections opened during the stall
 *   (their TCP handshake succeeds, no byte passes). `resume()` (or the timer) lets the held bytes
 *   through again, in order.
 *
 * The proxy only ever listens on and connects to 127.0.0.1.
 *
 * @example
 * const proxy = await createChaosProxy({ targetPort: server.port })
 * const url = `ws://127.0.0.1:${proxy.port}/xiaoer/ws`
 * proxy.stall(800)
 * await proxy.close()
 */
export interface ChaosProxy {
  /** The port the proxy listens on, on 127.0.0.1. */
  readonly port: number;
  /** Whether forwarding is stalled right now. */
  readonly stalled: boolean;
  /** Destroys every proxied connection, both sides. Returns how many were cut. */
  cut(): number;
  /**
   * Arms a cut in the middle of what the client sends next: once `bytes` more bytes have gone client →
   * server (counted from now, or from just after `startAfter` when given), exactly those bytes reach
   * the server, that connection is ended towards the server (FIN, after the bytes) and destroyed
   * towards the client, and every other connection is cut at the same moment. With `bytes` equal to
   * a whole request, the server gets all of it and its answer is lost. Resolves when the cut happened.
   */
  cutUpstreamAfter(bytes: number, options?: { startAfter?: string | Uint8Array }): Promise<void>;
  /** Sends a TCP RST to both sides of every proxied connection. Returns how many were reset. */
  reset(): number;
  /** Stops forwarding (half-open) for `ms`, or until `resume()` when no time is given. */
  stall(ms?: number, options?: { blackhole?: boolean }): void;
  /** Forwards again whatever was held during a stall. */
  resume(): void;
  /**
   * Ends the black-hole part of a stall: connections opened from now on work, those already held
   * stay frozen (a device that moved to another network while its old connections hang).
   */
  admitNew(): void;
  /** Lets a test point the proxy at a server that came back on another port. */
  retarget(port: number): void;
  stats(): ChaosProxyStats;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

export interface ChaosProxyStats {
  /** Connections accepted since the start. */
  readonly connections: number;
  /** Connections open now. */
  readonly open: number;
  /** Bytes forwarded client → server and server → client. */
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly cuts: number;
  readonly resets: number;
  readonly stalls: number;
}

export interface ChaosProxyOptions {
  /** The server's port on 127.0.0.1. */
  targetPort: number;
  /** The proxy's own port; 0 (default) picks a free one. */
  port?: number;
}

const LOOPBACK = '127.0.0.1';

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Per direction: the writer is full, reading waits for 'drain'. */
  readonly backpressure: { up: boolean; down: boolean };
  /** Held by a black-hole stall even after its start: resumed only by `resume()`. */
  held: boolean;
  /** Cut mid-upload: the upstream side is ending on its own (FIN after the last allowed byte). */
  draining: boolean;
}

/** A `cutUpstreamAfter` waiting for its moment. */
interface ArmedCut {
  /** Bytes still allowed through; counting starts once the marker was seen (or at once without one). */
  remaining: number;
  readonly marker: Buffer | null;
  /** Whether the marker has been seen, and on which connection counting runs. */
  link: Link | null;
  /** The end of the bytes seen so far, kept to find a marker split across two chunks. */
  tail: Buffer;
  readonly fired: () => void;
}

export async function createChaosProxy(options: ChaosProxyOptions): Promise<ChaosProxy> {
  let targetPort = options.targetPort;
  const links = new Set<Link>();
  let stalled = false;
  let blackhole = false;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const counts = { connections: 0, bytesUp: 0, bytesDown: 0, cuts: 0, resets: 0, stalls: 0 };
  let armed: ArmedCut | null = null;
  /** Upstream sides of links cut mid-upload, still delivering their last bytes (closed by `close()`). */
  const drainingUpstreams = new Set<Socket>();

  /** Reading resumes only when nothing holds it: no stall, no full writer on the other side. */
  const flow = (link: Link) => {
    const holding = stalled && link.held;
    if (holding || link.backpressure.up) link.client.pause();
    else if (!link.client.destroyed) link.client.resume();
    if (holding || link.backpressure.down) link.upstream.pause();
    else if (!link.upstream.destroyed) link.upstream.resume();
  };

  const cutAll = () => {
    counts.cuts++;
    for (const link of [...links]) {
      links.delete(link);
      link.client.destroy();
      if (!link.draining) link.upstream.destroy();
    }
  };

  /**
   * How much of an upstream chunk may pass before an armed cut fires: all of it (null) or the first
   * `n` bytes, after which the cut is made.
   */
  const allowedUp = (link: Link, chunk: Buffer): number | null => {
    const cut = armed;
    if (!cut || (cut.link && cut.link !== link)) return null;
    let from = 0;
    if (!cut.link) {
      if (cut.marker) {
        const seen = Buffer.concat([cut.tail, chunk]);
        const at = seen.indexOf(cut.marker);
        if (at < 0) {
          cut.tail = seen.subarray(Math.max(0, seen.length - cut.marker.length + 1));
          return null;
        }
        from = at + cut.marker.length - cut.tail.length;
      }
      cut.link = link;
    }
    if (chunk.length - from < cut.remaining) {
      cut.remaining -= chunk.length - from;
      return null;
    }
    return from + cut.remaining;
  };

  const cutMidUpload = (link: Link, part: Buffer) => {
    const cut = armed!;
    armed = null;
    counts.bytesUp += part.length;
    // The server gets exactly `part`, then an orderly end; the client only sees its link die.
    link.draining = true;
    link.upstream.end(part);
    drainingUpstreams.add(link.upstream);
    link.upstream.once('close', () => drainingUpstreams.delete(link.upstream));
    cutAll();
    cut.fired();
  };

  const forward = (link: Link, from: Socket, to: Socket, direction: 'up' | 'down') => {
    from.on('data', (chunk: Buffer) => {
      if (to.destroyed || link.draining) return;
      if (direction === 'up') {
        const allowed = allowedUp(link, chunk);
        if (allowed !== null) {
          cutMidUpload(link, chunk.subarray(0, allowed));
          return;
        }
      }
      if (direction === 'up') counts.bytesUp += chunk.length;
      else counts.bytesDown += chunk.length;
      if (!to.write(chunk)) {
        link.backpressure[direction] = true;
        flow(link);
        to.once('drain', () => {
          link.backpressure[direction] = false;
          flow(link);
        });
      }
    });
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    counts.connections++;
    const upstream = connect({ host: LOOPBACK, port: targetPort });
    const link: Link = { client, upstream, backpressure: { up: false, down: false }, held: stalled && blackhole, draining: false };
    links.add(link);
    const close = () => {
      links.delete(link);
      client.destroy();
      // A link cut mid-upload still delivers its last bytes to the server; it ends on its own.
      if (!link.draining) upstream.destroy();
    };
    // ECONNRESET and friends are the point of this proxy; they must never become uncaught errors.
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    forward(link, client, upstream, 'up');
    forward(link, upstream, client, 'down');
    flow(link);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const resume = () => {
    clearTimeout(stallTimer);
    stallTimer = undefined;
    if (!stalled) return;
    stalled = false;
    blackhole = false;
    for (const link of links) {
      link.held = false;
      flow(link);
    }
  };

  return {
    port,
    get stalled() {
      return stalled;
    },
    cut() {
      const n = links.size;
      cutAll();
      return n;
    },
    cutUpstreamAfter(bytes, { startAfter } = {}) {
      return new Promise<void>((fired) => {
        const marker = startAfter === undefined ? null : Buffer.from(startAfter);
        armed = { remaining: bytes, marker, link: null, tail: Buffer.alloc(0), fired };
      });
    },
    reset() {
      const n = links.size;
      counts.resets++;
      for (const link of [...links]) {
        links.delete(link);
        for (const socket of [link.client, link.upstream]) {
          // resetAndDestroy throws on a socket that is not connected yet (ERR_SOCKET_CLOSED…).
          try {
            if (typeof socket.resetAndDestroy === 'function' && !socket.connecting) socket.resetAndDestroy();
            else socket.destroy();
          } catch {
            socket.destroy();
          }
        }
      }
      return n;
    },
    stall(ms, { blackhole: holdNew = false } = {}) {
      counts.stalls++;
      stalled = true;
      blackhole = holdNew;
      for (const link of links) {
        link.held = true;
        flow(link);
      }
      clearTimeout(stallTimer);
      stallTimer = ms === undefined ? undefined : setTimeout(resume, ms);
    },
    resume,
    admitNew() {
      blackhole = false;
    },
    retarget(next) {
      targetPort = next;
    },
    stats: () => ({ ...counts, open: links.size }),
    async close() {
      clearTimeout(stallTimer);
      for (const link of [...links]) {
        link.client.destroy();
        link.upstream.destroy();
      }
      links.clear();
      for (const socket of drainingUpstreams) socket.destroy();
      drainingUpstreams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
