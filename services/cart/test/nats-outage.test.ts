import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import { OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { claimPort, natsAdminUrl, startNats, type NatsStore } from '@shop/local-stack';
import { connectEventBus, ensureEventStream, eventSubject, publishEvent, type EventBus } from '@shop/runtime';
import { eventually, uniqueName } from '@shop/testkit';
import { linesOf, startTestCartService, type TestCartService } from './cart-test-service.js';

const namespace = uniqueName('cart_outage').replace(/-/g, '_');
let dataDir: string;
let natsPort: number;
let service: TestCartService | undefined;
let nats: NatsStore | undefined;
let bus: EventBus | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cart-nats-outage-'));
  natsPort = await claimPort(0, 'nats');
});
afterAll(async () => {
  await bus?.close();
  await service?.server.shutdown();
  await nats?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the cart service while NATS is down', () => {
  it('starts and serves, then consumes OrderPlaced once the bus is up', async () => {
    service = await startTestCartService(namespace, { NATS_URL: natsAdminUrl(dataDir, natsPort) });
    const userId = uniqueName('user');
    await service.client.addItem({ userId, productId: 'p1', quantity: 1 });
    await service.client.addItem({ userId, productId: 'p2', quantity: 1 });
    expect(linesOf(await service.client.getCart({ userId }))).toHaveLength(2);

    nats = await startNats({ dataDir, port: natsPort });
    bus = await connectEventBus(nats.url, 'cart-nats-outage-test', namespace);
    await ensureEventStream(bus, 'orders');
    const event = create(OrderPlacedSchema, { eventId: uniqueName('event'), orderId: uniqueName('order'), customerId: userId, items: [{ productId: 'p1', quantity: 1 }] });
    await publishEvent(bus, { id: event.eventId, subject: eventSubject(bus, 'orders', OrderPlacedSchema), type: OrderPlacedSchema.typeName, payload: toBinary(OrderPlacedSchema, event) });
    await eventually(async () => linesOf(await service!.client.getCart({ userId })).length === 1, { description: 'the ordered line is removed', timeoutMs: 60_000 });
    expect(linesOf(await service.client.getCart({ userId }))).toEqual([['p2', 1]]);
  });
});
