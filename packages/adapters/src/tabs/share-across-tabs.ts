import { createClientId, type ClientFrame, type Transport, type TransportConnectOptions, type TransportStatus } from '@xiaoer/core';
import { createTransportListeners } from '../shared/listeners.js';
import { answeredId, fromWireStatus, requestId, toWireStatus, type RelayMessage } from './relay-messages.js';

/** The part of the Web Locks API (`navigator.locks`) this module uses. */
export interface LockManagerLike {
  request<T>(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** The part of BroadcastChannel this module uses. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export interface ShareAcrossTabsOptions {
  /**
   * Tabs that pass the same name share one link. Make it as narrow as what the link carries: the
   * store's namespace and the signed-in buyer, so a tab of another buyer never sees this one's events.
   * A function is read on every `connect`: a client restarted after the buyer signs in or out joins
   * the tabs of its new buyer (read once, the tab stayed with the old buyer's tabs and their link).
   */
  name: string | (() => string);
  /** `navigator.locks` by default; injected in tests. */
  locks?: LockManagerLike;
  /** The global BroadcastChannel by default; injected in tests. */
  BroadcastChannel?: new (name: string) => BroadcastChannelLike;
}

/** Answers the leader keeps routing to the follower that asked; older ones go to the leader's own client. */
const MAX_ROUTED_ANSWERS = 1_000;

/**
 * Shares one link to the server among the tabs of one store. The tab holding the Web Lock `name`
 * is the leader: it alone connects `transport` and relays everything the server says to the other
 * tabs over a BroadcastChannel; the other tabs (followers) hand their frames to the leader. When the
 * leader tab goes away its lock is released, the next tab takes it and opens the link with its own
 * session frame, resuming after the last event that tab applied.
 *
 * What each tab's client sees is what it would see on a link of its own:
 * - every event of the conversation, live, and the acks, nacks and results of its own commands and
 *   queries only (commands keep their ids, so the server still applies each exactly once);
 * - a session of its own: a follower's session frame is sent on the shared link when it joins, so
 *   the server replays what that tab lacks (every tab drops the events it already has, by seq);
 * - the leader's link status; `closed` whenever its leader changes, so its client queues again
 *   whatever it had on the wire, and `connecting` until a new leader's link is open.
 *
 * Without Web Locks or BroadcastChannel, `transport` is returned as is.
 *
 * @example
 * const transport = shareAcrossTabs(createWebSocketTransport({ url }), { name: `shop-42:${buyerId}` })
 * const client = createClient({ transport, storage: createIdbStorage() })
 */
export function shareAcrossTabs(transport: Transport, options: ShareAcrossTabsOptions): Transport {
  const locks = options.locks ?? (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  const Channel = options.BroadcastChannel ?? (globalThis.BroadcastChannel as (new (name: string) => BroadcastChannelLike) | undefined);
  if (!locks || !Channel) return transport;
  const [Relay, lockManager] = [Channel, locks];
  const { emit, subscribe } = createTransportListeners();
  let send: (frame: ClientFrame) => boolean = () => false;

  function connect({ hello, signal }: TransportConnectOptions): void {
    if (signal.aborted) return;
    const name = typeof options.name === 'function' ? options.name() : options.name;
    const tab = createClientId('tab');
    const channel = new Relay(`xiaoer-tabs:${name}`);
    const post = (message: RelayMessage) => channel.postMessage(message);

    // ---- as a follower: the leader we follow and whether its link is open.
    let leading = false;
    let leader: string | null = null;
    let leaderOpen = false;
    /** Leaving 'open' reports 'closed' first: the client requeues what it had on the wire only then. */
    const leaveOpen = () => {
      if (!leaderOpen) return;
      leaderOpen = false;
      emit({ type: 'status', status: 'closed', retryInMs: 0 });
    };
    const followStatus = (from: string, status: TransportStatus) => {
      if (from !== leader) {
        leaveOpen();
        leader = from;
      }
      if (status.status === 'open') {
        if (leaderOpen) return; // a repeat, answering another tab's `hi`
        leaderOpen = true;
        emit({ type: 'status', status: 'open' });
        post({ t: 'join', from: tab, hello: hello() });
        return;
      }
      if (status.status === 'connecting') leaveOpen();
      else leaderOpen = false;
      emit({ type: 'status', ...status });
    };

    // ---- as the leader: the real link's last status and who asked what.
    let linkStatus: TransportStatus = { status: 'connecting', attempt: 0 };
    const askedBy = new Map<string, string>();
    const onLinkEvent = (event: Parameters<Parameters<Transport['subscribe']>[0]>[0]) => {
      if (event.type === 'error') return emit(event); // a malformed frame: the link's own business
      if (event.type === 'status') {
        const { type: _, ...status } = event;
        linkStatus = status;
        emit(event);
        post({ t: 'status', from: tab, status: toWireStatus(status) });
        return;
      }
      const id = answeredId(event.data);
      if (id === undefined) {
        emit(event);
        post({ t: 'frame', from: tab, data: event.data });
        return;
      }
      // An answer goes to the tab that asked only: another tab's client would take a stranger's
      // nack for its own failure. One whose asker is forgotten is the leader's.
      const to = askedBy.get(id) ?? tab;
      if (to === tab) emit(event);
      else post({ t: 'frame', from: tab, to, data: event.data });
    };

    channel.onmessage = ({ data }) => {
      const message = data as RelayMessage;
      if (message.from === tab) return;
      if (leading) {
        if (message.t === 'hi') post({ t: 'status', from: tab, status: toWireStatus(linkStatus) });
        // Sent only on an open link: a follower joins again when it sees the link open.
        else if (message.t === 'join' && linkStatus.status === 'open') transport.send(message.hello);
        else if (message.t === 'send') {
          const id = requestId(message.frame);
          if (id !== undefined) {
            askedBy.set(id, message.from);
            if (askedBy.size > MAX_ROUTED_ANSWERS) askedBy.delete(askedBy.keys().next().value!);
          }
          transport.send(message.frame);
        }
        return;
      }
      if (message.t === 'status') followStatus(message.from, fromWireStatus(message.status));
      else if (message.t === 'frame' && (message.to === undefined || message.to === tab)) emit({ type: 'frame', data: message.data });
    };

    send = (frame) => {
      if (leading) {
        const id = requestId(frame);
        if (id !== undefined) askedBy.set(id, tab);
        return transport.send(frame);
      }
      if (!leaderOpen) return false;
      post({ t: 'send', from: tab, frame });
      return true;
    };

    emit({ type: 'status', status: 'connecting', attempt: 0 });
    post({ t: 'hi', from: tab });

    // Granted when no other tab of this store holds the lock (it is released when a tab closes);
    // held until this client stops.
    lockManager
      .request(`xiaoer-tabs:${name}`, { signal }, async () => {
        if (signal.aborted) return;
        leading = true;
        leaveOpen();
        leader = tab;
        const link = new AbortController();
        const unsubscribe = transport.subscribe(onLinkEvent);
        transport.connect({ hello, signal: link.signal });
        await new Promise<void>((stopped) =>
          signal.addEventListener(
            'abort',
            () => {
              // At once, as a link of its own closes when its client stops (the socket was still
              // open a microtask after stop()); its 'closed' reaches the followers before the lock
              // goes to one of them.
              link.abort();
              stopped();
            },
            { once: true },
          ),
        );
        unsubscribe();
      })
      .catch(() => {
        /* aborted while waiting for the lock: this client stopped as a follower */
      })
      .finally(() => channel.close());

    signal.addEventListener(
      'abort',
      () => {
        send = () => false;
        channel.onmessage = null;
        if (!leading) emit({ type: 'status', status: 'closed' });
      },
      { once: true },
    );
  }

  return {
    spec: 'v1',
    capabilities: transport.capabilities,
    connect,
    subscribe,
    send: (frame) => send(frame),
  };
}
