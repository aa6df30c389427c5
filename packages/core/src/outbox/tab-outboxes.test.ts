import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { createMemoryStorage, type Storage } from '../storage/storage.js';
import type { OutboxEntry } from '../store/state.js';
import { createFakeLocks, type FakeLockManager } from '../test/fake-locks.js';
import { readyFrame } from '../test/fixtures.js';
import { MockTransport } from '../test/mock-transport.js';

/** One tab of a store: a client on the origin's shared storage, with that tab's lock manager. */
async function openTab(storage: Storage, locks: FakeLockManager | null) {
  const transport = new MockTransport();
  const client = createClient({ transport, storage, locks });
  await client.start();
  return { client, transport, locks };
}

const queuedTexts = (entries: readonly OutboxEntry[] | undefined) =>
  (entries ?? []).map((e) => (e.command.type === 'message.send' && e.command.body.kind === 'text' ? e.command.body.text : e.command.type));

/** Every outbox stored on the origin, whatever its key. */
const storedTexts = (storage: ReturnType<typeof createMemoryStorage>) =>
  [...storage.data.entries()].filter(([key]) => key === 'xiaoer:outbox' || key.startsWith('xiaoer:outbox:')).flatMap(([, value]) => queuedTexts(value as OutboxEntry[]));

describe('outboxes of several tabs', () => {
  it('keeps the unsent messages of two tabs on one storage apart (one shared key lost one tab\'s)', async () => {
    const storage = createMemoryStorage();
    const locks = createFakeLocks();
    const a = await openTab(storage, locks.tab());
    const b = await openTab(storage, locks.tab());
    await a.client.sendText('from A');
    await b.client.sendText('from B');
    await a.client.persisted();
    await b.client.persisted();
    expect(storedTexts(storage).sort()).toEqual(['from A', 'from B']);
  });

  it('adopts the outbox of a closed tab on the next load, and leaves a live tab\'s alone', async () => {
    const storage = createMemoryStorage();
    const locks = createFakeLocks();
    const a = await openTab(storage, locks.tab());
    const b = await openTab(storage, locks.tab());
    const sentInA = await a.client.sendText('from A');
    await b.client.sendText('from B');
    await a.client.persisted();
    locks.close(a.locks!);

    const next = await openTab(storage, locks.tab());
    expect(next.client.getSnapshot().outbox.map((e) => e.id)).toEqual([sentInA.id]);
    await next.client.persisted();
    // Adopted once: A's own key is gone, so no later tab sends it again.
    expect(storedTexts(storage).sort()).toEqual(['from A', 'from B']);
    const again = await openTab(storage, locks.tab());
    expect(again.client.getSnapshot().outbox).toEqual([]);
  });

  it('adopts when its link comes back, and sends the command under its original id', async () => {
    const storage = createMemoryStorage();
    const locks = createFakeLocks();
    const a = await openTab(storage, locks.tab());
    const b = await openTab(storage, locks.tab());
    const sentInA = await a.client.sendText('typed in A before it closed');
    locks.close(a.locks!);

    b.transport.open();
    b.transport.receive(readyFrame());
    await expect.poll(() => b.transport.commands().map((c) => c.id)).toEqual([sentInA.id]);
  });

  it('does not send again an adopted message the conversation already shows', async () => {
    const storage = createMemoryStorage();
    const locks = createFakeLocks();
    const a = await openTab(storage, locks.tab());
    const b = await openTab(storage, locks.tab());
    b.transport.open();
    b.transport.receive(readyFrame());
    const sentInA = await a.client.sendText('delivered, its tab closed before settling it on disk');
    // B sees it arrive (tab sharing relays A's echo), then A closes with the entry still stored.
    b.transport.receive({ v: 1, kind: 'event', conversationId: 'conv_test', seq: 1, event: { type: 'message.created', message: { id: 'm_1', conversationId: 'conv_test', seq: 1, clientId: sentInA.id, author: { role: 'buyer' }, body: { kind: 'text', text: 'delivered, its tab closed before settling it on disk' }, createdAt: 1 } } });
    await a.client.persisted();
    locks.close(a.locks!);

    b.transport.drop();
    await new Promise((settled) => setTimeout(settled, 0)); // the store notifies 'offline' before 'online' comes
    b.transport.open();
    b.transport.receive(readyFrame({ lastSeq: 1 }));
    await expect.poll(async () => storedTexts(storage)).toEqual([]);
    expect(b.transport.commands()).toEqual([]);
    expect(b.client.getSnapshot().outbox).toEqual([]);
  });

  it('adopts an outbox stored under the one shared key of earlier versions', async () => {
    const storage = createMemoryStorage();
    const old = await openTab(storage, null);
    const sentBefore = await old.client.sendText('queued before the upgrade');
    await old.client.persisted();

    const upgraded = await openTab(storage, createFakeLocks().tab());
    expect(upgraded.client.getSnapshot().outbox.map((e) => e.id)).toEqual([sentBefore.id]);
    await upgraded.client.persisted();
    expect(storage.data.has('xiaoer:outbox')).toBe(false);
  });

  it('keeps one outbox per namespace where there are no Web Locks, as before', async () => {
    const storage = createMemoryStorage();
    const first = await openTab(storage, null);
    const sent = await first.client.sendText('survives a reload');
    await first.client.persisted();
    expect(queuedTexts(storage.data.get('xiaoer:outbox') as OutboxEntry[])).toEqual(['survives a reload']);
    const reloaded = await openTab(storage, null);
    expect(reloaded.client.getSnapshot().outbox.map((e) => e.id)).toEqual([sent.id]);
  });
});
