import { describe, expect, it } from 'vitest';
import { createClient, selectTimeline, type XiaoerClient } from '@xiaoer/core';
import { createMemoryTransport } from './memory-transport.js';

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}
const texts = (c: XiaoerClient) => selectTimeline(c.getSnapshot()).map((i) => i.body.text);

describe('memory transport', () => {
  it('runs a whole conversation against the in-process demo backend', async () => {
    const transport = createMemoryTransport();
    const client = createClient({ transport, locale: 'zh-CN' });
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    await until(() => texts(client).some((t) => t.includes('店小二')));
    await client.sendText('包裹到哪了？怎么查物流');
    await until(() => texts(client).some((t) => t.includes('物流轨迹')));
    await client.requestHandoff();
    await until(() => client.getSnapshot().routing.phase === 'queued');
    client.stop();
  });

  it('reconnects to the same conversation after stop and start', async () => {
    const transport = createMemoryTransport();
    const client = createClient({ transport });
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    const id = client.getSnapshot().conversationId;
    client.stop();
    await client.sendText('queued while stopped');
    await client.start();
    await until(() => client.getSnapshot().outbox.length === 0);
    expect(client.getSnapshot().conversationId).toBe(id);
    expect(texts(client).filter((t) => t === 'queued while stopped')).toHaveLength(1);
  });
});
