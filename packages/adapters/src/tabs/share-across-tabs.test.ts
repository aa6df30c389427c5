import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, createClientId, type ClientState, type Transport, type XiaoerClient } from '@xiaoer/core';
import { createFakeLocks } from '@xiaoer/core/test';
import { SupportBackend, createMemoryTransport } from '../memory/index.js';
import { shareAcrossTabs, type BroadcastChannelLike } from './index.js';

const BUYER = { id: 'buyer-demo', name: '王小明' };

/**
 * Several simulated tabs in one process: a real BroadcastChannel (Node 20 has it), a fake lock
 * manager shared by the tabs, one in-process backend. `kill()` makes a tab vanish the way a closed
 * browser tab does: its channel goes silent, its link drops and its locks are released.
 */
function world() {
  const locks = createFakeLocks();
  const backend = new SupportBackend();
  const name = createClientId('store');
  let connects = 0;
  const clients: XiaoerClient[] = [];

  function openTab() {
    const tabLocks = locks.tab();
    let muted = false;
    let dead = false;
    class TabChannel implements BroadcastChannelLike {
      onmessage: ((event: { data: unknown }) => void) | null = null;
      private readonly inner: BroadcastChannel;
      constructor(channelName: string) {
        this.inner = new BroadcastChannel(channelName);
        this.inner.onmessage = (event) => {
          if (!dead) this.onmessage?.({ data: (event as MessageEvent).data });
        };
      }
      postMessage(message: unknown) {
        if (!dead && !muted) this.inner.postMessage(message);
      }
      close() {
        this.inner.close();
      }
    }
    const real = createMemoryTransport({ backend, buyer: BUYER });
    const linkKilled = new AbortController();
    const counted: Transport = {
      ...real,
      connect(options) {
        connects++;
        real.connect({ hello: options.hello, signal: AbortSignal.any([options.signal, linkKilled.signal]) });
      },
    };
    const client = createClient({ transport: shareAcrossTabs(counted, { name, locks: tabLocks, BroadcastChannel: TabChannel }), ackTimeoutMs: 60_000 });
    clients.push(client);
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    const statuses: ClientState['connection']['status'][] = [];
    client.on('connection:changed', (c) => statuses.push(c.status));
    return {
      client,
      errors,
      statuses,
      /** The tab still hears the other tabs but nothing it posts reaches them. */
      mute: () => void (muted = true),
      kill() {
        dead = true;
        linkKilled.abort();
        locks.close(tabLocks);
      },
    };
  }

  /** A separate device of the same buyer, on a link of its own: what the server has stored. */
  async function stored(text: string): Promise<number> {
    const observer = createClient({ transport: createMemoryTransport({ backend, buyer: BUYER }) });
    clients.push(observer);
    await observer.start();
    await online(observer);
    const count = observer.getSnapshot().messages.filter((m) => m.body.kind === 'text' && m.body.text === text).length;
    observer.stop();
    return count;
  }

  return { openTab, stored, connects: () => connects, stopAll: () => clients.forEach((c) => c.stop()) };
}

const online = (client: XiaoerClient) => expect.poll(() => client.getSnapshot().connection.status).toBe('online');
const texts = (client: XiaoerClient) => client.getSnapshot().messages.flatMap((m) => (m.body.kind === 'text' ? [m.body.text] : []));

let current: ReturnType<typeof world> | undefined;
afterEach(() => {
  current?.stopAll();
  current = undefined;
  vi.unstubAllGlobals();
});
const setUp = () => (current = world());

describe('shareAcrossTabs', () => {
  it('opens one link for two tabs, and a tab that joins late gets the history it lacks', async () => {
    const w = setUp();
    const a = w.openTab();
    await a.client.start();
    await online(a.client);
    await (await a.client.sendText('before B opened')).settled;

    const b = w.openTab();
    await b.client.start();
    await online(b.client);
    await expect.poll(() => texts(b.client)).toContain('before B opened');
    expect(w.connects()).toBe(1);
  });

  it('sends a follower\'s message once, shows it live in every tab, and settles it in the follower', async () => {
    const w = setUp();
    const a = w.openTab();
    const b = w.openTab();
    await a.client.start();
    await b.client.start();
    await online(a.client);
    await online(b.client);

    const receipt = await b.client.sendText('sent from B');
    await receipt.settled;
    await expect.poll(() => texts(a.client)).toContain('sent from B');
    expect(texts(b.client).filter((t) => t === 'sent from B')).toHaveLength(1);
    expect(b.client.getSnapshot().outbox).toEqual([]);
    expect(await w.stored('sent from B')).toBe(1);
    expect(w.connects()).toBe(1);
  });

  it('hands a refusal to the tab that asked only', async () => {
    const w = setUp();
    const [a, b, c] = [w.openTab(), w.openTab(), w.openTab()];
    for (const tab of [a, b, c]) await tab.client.start();
    for (const tab of [a, b, c]) await online(tab.client);

    const receipt = await b.client.actOnCase('AS-NO-SUCH-CASE', { type: 'withdraw' });
    await expect(receipt.settled).rejects.toMatchObject({ code: expect.any(String) });
    expect(b.errors.length).toBeGreaterThan(0);
    // What B hears after its refusal, the others hear after it too (one channel, in order).
    await (await b.client.sendText('after the refusal')).settled;
    await expect.poll(() => texts(c.client)).toContain('after the refusal');
    await expect.poll(() => texts(a.client)).toContain('after the refusal');
    expect(a.errors).toEqual([]);
    expect(c.errors).toEqual([]);
  });

  it('hands over when the leader tab closes: a message lost on the way to it is sent again, once', async () => {
    const w = setUp();
    const a = w.openTab();
    const b = w.openTab();
    const c = w.openTab();
    for (const tab of [a, b, c]) await tab.client.start();
    for (const tab of [a, b, c]) await online(tab.client);

    const seenByC = c.statuses.length;
    const receipt = await b.client.sendText('sent as the leader closed');
    a.kill(); // before the relayed command reaches it
    await receipt.settled;
    await online(c.client);
    await expect.poll(() => texts(c.client)).toContain('sent as the leader closed');
    expect(texts(b.client).filter((t) => t === 'sent as the leader closed')).toHaveLength(1);
    expect(await w.stored('sent as the leader closed')).toBe(1);
    expect(w.connects()).toBe(2);
    // The tab left behind saw its link go and come back through the new leader.
    expect(c.statuses.slice(seenByC)).toContain('connecting');
    expect(c.statuses.at(-1)).toBe('online');
  });

  it('hands over when the leader sent the message but died before relaying the ack: stored once', async () => {
    const w = setUp();
    const a = w.openTab();
    const b = w.openTab();
    await a.client.start();
    await b.client.start();
    await online(b.client);

    a.mute(); // A still sends B's command to the server; the answer never comes back to B
    const receipt = await b.client.sendText('acked into the void');
    await expect.poll(() => w.stored('acked into the void')).toBe(1);
    expect(b.client.getSnapshot().outbox).toHaveLength(1);
    a.kill();
    await receipt.settled;
    expect(b.client.getSnapshot().outbox).toEqual([]);
    expect(texts(b.client).filter((t) => t === 'acked into the void')).toHaveLength(1);
    expect(await w.stored('acked into the void')).toBe(1);
  });

  it('fails a follower\'s pending query as offline when its leader goes, rather than leaving it to time out', async () => {
    const w = setUp();
    const a = w.openTab();
    const b = w.openTab();
    await a.client.start();
    await b.client.start();
    await online(b.client);

    a.mute();
    const cases = b.client.loadCases();
    a.kill();
    await expect(cases).rejects.toMatchObject({ code: 'offline' });
    await online(b.client);
  });

  it('is the plain transport where Web Locks or BroadcastChannel are missing', () => {
    vi.stubGlobal('navigator', {});
    const plain = createMemoryTransport();
    expect(shareAcrossTabs(plain, { name: 'x' })).toBe(plain);
    vi.stubGlobal('navigator', { locks: createFakeLocks().tab() });
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(shareAcrossTabs(plain, { name: 'x' })).toBe(plain);
  });
});
