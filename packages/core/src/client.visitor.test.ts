import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { createMemoryStorage } from './storage/storage.js';
import { createFakeLocks } from './test/fake-locks.js';
import { MockTransport } from './test/mock-transport.js';

describe('the visitor id of several tabs', () => {
  it('is one id for two guest tabs that load at the same moment on one storage', async () => {
    const storage = createMemoryStorage();
    const locks = createFakeLocks();
    const [a, b] = [locks.tab(), locks.tab()].map((tab) => createClient({ transport: new MockTransport(), storage, locks: tab }));
    await Promise.all([a!.start(), b!.start()]);

    const visitorId = a!.getSnapshot().visitorId;
    expect(visitorId).toMatch(/^v/);
    expect(b!.getSnapshot().visitorId).toBe(visitorId);
    expect(storage.data.get('xiaoer:visitor')).toBe(visitorId);
  });

  it('is the stored one for a tab that loads later', async () => {
    const storage = createMemoryStorage();
    const locks = createFakeLocks();
    const first = createClient({ transport: new MockTransport(), storage, locks: locks.tab() });
    await first.start();
    const later = createClient({ transport: new MockTransport(), storage, locks: locks.tab() });
    await later.start();
    expect(later.getSnapshot().visitorId).toBe(first.getSnapshot().visitorId);
  });
});
