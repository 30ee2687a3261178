import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create, toBinary } from '@bufbuild/protobuf';
import { OrderPlacedSchema } from '@shop/gen/order/v1/order_events_pb';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectEventBus, ensureEventStream, eventStreamOf, eventSubject, publishEvent, type EventBus } from '@shop/runtime';
import { eventually, testStores, uniqueName } from '@shop/testkit';
import { linesOf, startTestCartService, type TestCartService } from './cart-test-service.js';

const namespace = uniqueName('cart_events').replace(/-/g, '_');

describe('the cart on orders OrderPlaced events', () => {
  let bus: EventBus;
  let service: TestCartService;

  const publishOrderPlaced = (eventId: string, customerId: string, productIds: string[]) => {
    const event = create(OrderPlacedSchema, { eventId, orderId: uniqueName('order'), customerId, items: productIds.map((productId) => ({ productId, quantity: 1 })) });
    return publishRaw(toBinary(OrderPlacedSchema, event));
  };
  const publishRaw = (payload: Uint8Array) =>
    publishEvent(bus, { id: uniqueName('msg'), subject: eventSubject(bus, 'orders', OrderPlacedSchema), type: OrderPlacedSchema.typeName, payload });
  const linesOfUser = async (userId: string) => linesOf(await service.client.getCart({ userId }));

  beforeAll(async () => {
    bus = await connectEventBus(testStores().natsUrl, 'cart-test', namespace);
    await ensureEventStream(bus, 'orders');
    service = await startTestCartService(namespace);
  });
  afterAll(async () => {
    await service.server.shutdown();
    await bus.close();
  });

  it('removes only the ordered lines, and applies a redelivered event id once', async () => {
    const userId = uniqueName('user');
    for (const productId of ['p1', 'p2', 'p3']) await service.client.addItem({ userId, productId, quantity: 2 });
    const eventId = uniqueName('event');
    await publishOrderPlaced(eventId, userId, ['p1', 'p2']);
    await eventually(async () => (await linesOfUser(userId)).length === 1, { description: 'the ordered lines are removed' });
    expect(await linesOfUser(userId)).toEqual([['p3', 2]]);

    await service.client.addItem({ userId, productId: 'p1', quantity: 1 });
    await publishOrderPlaced(eventId, userId, ['p1', 'p2']);
    await publishOrderPlaced(uniqueName('event'), userId, ['p3']);
    await eventually(async () => !(await linesOfUser(userId)).some(([productId]) => productId === 'p3'), { description: 'the later event is applied' });
    expect(await linesOfUser(userId)).toEqual([['p1', 1]]);
  });

  it('leaves other users carts alone', async () => {
    const [buyer, other] = [uniqueName('user'), uniqueName('user')];
    await service.client.addItem({ userId: buyer, productId: 'p1', quantity: 1 });
    await service.client.addItem({ userId: other, productId: 'p1', quantity: 1 });
    await publishOrderPlaced(uniqueName('event'), buyer, ['p1']);
    await eventually(async () => (await linesOfUser(buyer)).length === 0, { description: 'the buyer cart is cleared' });
    expect(await linesOfUser(other)).toEqual([['p1', 1]]);
  });

  it('acknowledges and skips an undecodable event or one without a customer, and goes on with the next', async () => {
    const userId = uniqueName('user');
    await service.client.addItem({ userId, productId: 'p1', quantity: 1 });
    await publishRaw(new Uint8Array([0xff, 0xff, 0xff]));
    await publishOrderPlaced(uniqueName('event'), '', ['p1']);
    await publishOrderPlaced(uniqueName('event'), userId, ['p1']);
    await eventually(async () => (await linesOfUser(userId)).length === 0, { description: 'the valid event is applied' });
    const jsm = await jetstreamManager(bus.nc);
    const consumerInfo = () => jsm.consumers.info(eventStreamOf(bus, 'orders').name, 'cart-order-placed');
    await eventually(async () => {
      const info = await consumerInfo();
      return info.num_ack_pending === 0 && info.num_pending === 0;
    }, { description: 'every event is acknowledged' });
  });
});
