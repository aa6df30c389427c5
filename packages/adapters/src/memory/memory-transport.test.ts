import { describe, expect, it } from 'vitest';
import { createClient, selectTimeline, type XiaoerClient } from '@xiaoer/core';
import { createMemoryTransport } from './memory-transport.js';

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}
const texts = (c: XiaoerClient) => selectTimeline(c.getSnapshot()).map((i) => ('text' in i.body ? i.body.text : ''));

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

describe('memory transport with a logged-in buyer', () => {
  it('lets the trusted buyer load orders, open a case and see it move, through the real client', async () => {
    const transport = createMemoryTransport({ buyer: { id: 'buyer-demo', name: '王小明' } });
    const client = createClient({ transport, locale: 'en' });
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    expect(client.getSnapshot().buyer).toMatchObject({ id: 'buyer-demo' });
    await client.loadOrders();
    const { orderList, orders } = client.getSnapshot();
    expect(orderList.ids[0]).toBe('XE10010');
    expect(orders.XE10007?.shipment?.events.length).toBeGreaterThanOrEqual(4);
    const receipt = await client.openCase('XE10006', {
      type: 'return-and-refund', lines: [{ lineId: 'L1', quantity: 1 }], reason: 'no-longer-needed',
      amount: { amount: 12800, currency: 'CNY' }, description: '', photos: [],
    });
    const result = await receipt.settled;
    const caseId = String(result?.caseId);
    await until(() => client.getSnapshot().cases[caseId]?.state === 'requested');
    client.stop();
  });

  it('treats a visitor without a buyer as anonymous: orders need a login', async () => {
    const client = createClient({ transport: createMemoryTransport() });
    await client.start();
    await until(() => client.getSnapshot().connection.status === 'online');
    expect(client.getSnapshot().buyer).toBeNull();
    await expect(client.loadOrders()).rejects.toMatchObject({ code: 'unauthorized', reason: 'login-required' });
    client.stop();
  });
});
