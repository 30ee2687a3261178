import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fromBinary } from '@bufbuild/protobuf';
import { natsAdminUrl, startNats, type NatsStore } from '@shop/local-stack';
import { connectEventBus, type EventBus } from '@shop/runtime';
import { plainHealthCheck } from '@shop/runtime/testing';
import { ProductCreatedSchema, StockChangedSchema } from '@shop/gen/product/v1/product_events_pb';
import { readProductEvents } from './event-stream.js';
import { isolatedConfig, newProduct, startProducts, unusedPort, type RunningProducts } from './harness.js';

describe('while NATS is stopped', () => {
  let products: RunningProducts | undefined;
  let nats: NatsStore | undefined;
  let bus: EventBus | undefined;

  afterEach(async () => {
    await bus?.close();
    await products?.stop();
    await nats?.stop();
  });

  it('starts and serves, and its events arrive once NATS is back', async () => {
    const port = await unusedPort();
    const natsDir = mkdtempSync(join(tmpdir(), 'products-nats-'));
    const natsUrl = natsAdminUrl(natsDir, port);
    products = await startProducts(isolatedConfig({ natsUrl }));
    await expect(plainHealthCheck(products.server.address)).resolves.toBe('SERVING');
    const { product } = await products.client.createProduct(newProduct({ stock: 4 }));
    await products.client.adjustStock({ productId: product!.id, delta: 2, reason: 'restock' });
    expect(await products.db.collection('outbox').countDocuments({ publishedAt: null })).toBe(2);

    nats = await startNats({ dataDir: natsDir, port });
    bus = await connectEventBus(natsUrl, 'products-nats-outage-test', products.config.eventsNamespace);
    const events = await readProductEvents(bus, 2);
    expect(events.map((event) => event.type)).toEqual([ProductCreatedSchema.typeName, StockChangedSchema.typeName]);
    expect(fromBinary(ProductCreatedSchema, events[0]!.payload)).toMatchObject({ productId: product!.id, version: 1n });
    expect(fromBinary(StockChangedSchema, events[1]!.payload)).toMatchObject({ productId: product!.id, stock: 6, delta: 2, version: 2n });
  });
});
