import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fromBinary } from '@bufbuild/protobuf';
import { MongoClient } from 'mongodb';
import { connectEventBus, type EventBus } from '@shop/runtime';
import { eventually, startServiceProcess, testStores } from '@shop/testkit';
import { ProductDeletedSchema, ProductUpdatedSchema, StockChangedSchema } from '@shop/gen/product/v1/product_events_pb';
import { isolatedConfig, newProduct, productsClient, unusedPort } from './harness.js';
import { readProductEvents } from './event-stream.js';

const config = isolatedConfig();
let bus: EventBus;
let mongo: MongoClient;

beforeAll(async () => {
  bus = await connectEventBus(testStores().natsUrl, 'products-events-test', config.eventsNamespace);
  mongo = await MongoClient.connect(config.mongoUrl);
});
afterAll(async () => {
  await bus.close();
  await mongo.close();
});

function unpublishedCount(): Promise<number> {
  return mongo.db().collection('outbox').countDocuments({ publishedAt: null });
}

describe('events after a crash between the write and the publish', () => {
  it('publishes every event exactly once per event id after the killed process restarts', async () => {
    const env = { PRODUCTS_PORT: '0', PRODUCTS_MONGO_URL: config.mongoUrl, EVENTS_NAMESPACE: config.eventsNamespace };
    const offline = await startServiceProcess('products', { ...env, NATS_URL: `nats://127.0.0.1:${await unusedPort()}` });
    const client = productsClient(offline.address);
    const kept = (await client.createProduct(newProduct({ stock: 5 }))).product!;
    const dropped = (await client.createProduct(newProduct({ stock: 5 }))).product!;
    await client.updateProduct({ product: { id: kept.id, name: 'Renamed' }, updateMask: { paths: ['name'] } });
    await client.adjustStock({ productId: kept.id, delta: 3, reason: 'restock' });
    await client.reserveStock({ reservationId: 'crash-order', items: [{ productId: kept.id, quantity: 2 }, { productId: dropped.id, quantity: 1 }] });
    await client.releaseStock({ reservationId: 'crash-order' });
    await client.deleteProduct({ id: dropped.id });
    expect(await unpublishedCount()).toBe(9);
    await offline.kill();

    const online = await startServiceProcess('products', { ...env, NATS_URL: testStores().natsUrl });
    try {
      await eventually(async () => (await unpublishedCount()) === 0, { description: 'the outbox to be relayed' });
      const events = await readProductEvents(bus, 9);
      expect(events).toHaveLength(9);
      expect(new Set(events.map((event) => event.id)).size).toBe(9);
      const types = events.map((event) => event.type.replace('shop.product.v1.', ''));
      expect(types.filter((type) => type === 'ProductCreated')).toHaveLength(2);
      expect(types.filter((type) => type === 'ProductUpdated')).toHaveLength(1);
      expect(types.filter((type) => type === 'StockChanged')).toHaveLength(5);
      expect(types.filter((type) => type === 'ProductDeleted')).toHaveLength(1);

      const updated = fromBinary(ProductUpdatedSchema, events.find((event) => event.type === ProductUpdatedSchema.typeName)!.payload);
      expect(updated).toMatchObject({ productId: kept.id, version: 2n, changedFields: ['name'], product: { name: 'Renamed' } });
      const keptStock = events
        .filter((event) => event.type === StockChangedSchema.typeName)
        .map((event) => fromBinary(StockChangedSchema, event.payload))
        .filter((event) => event.productId === kept.id)
        .map(({ version, stock, delta, reason }) => ({ version, stock, delta, reason }));
      expect(keptStock).toEqual([
        { version: 3n, stock: 8, delta: 3, reason: 'restock' },
        { version: 4n, stock: 6, delta: -2, reason: 'reserve' },
        { version: 5n, stock: 8, delta: 2, reason: 'release' },
      ]);
      const deleted = fromBinary(ProductDeletedSchema, events.find((event) => event.type === ProductDeletedSchema.typeName)!.payload);
      expect(deleted).toMatchObject({ productId: dropped.id, version: 4n });
    } finally {
      await online.stop();
    }
  });
});
