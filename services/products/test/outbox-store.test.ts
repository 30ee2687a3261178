import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, type Db } from 'mongodb';
import { createLogger } from '@shop/runtime';
import type { OutboxDocument } from '../src/storage/documents.js';
import { migrate } from '../src/storage/migrations.js';
import { MongoOutboxStore, outboxDocumentOf } from '../src/storage/outbox-store.js';
import { isolatedConfig } from './harness.js';

let mongo: MongoClient;
let db: Db;

beforeAll(async () => {
  const { mongoUrl } = isolatedConfig();
  mongo = await MongoClient.connect(mongoUrl);
  db = mongo.db();
  await migrate(db, createLogger('products-outbox-test', 'silent'));
});
afterAll(() => mongo.close());

describe('the outbox', () => {
  it('keeps a trace context written with an event and hands it to the relay; an untraced event has none', async () => {
    const outbox = db.collection<OutboxDocument>('outbox');
    const traceContext = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'shop=1' };
    const payload = new Uint8Array([1, 2, 3]);
    await outbox.insertMany([
      outboxDocumentOf({ id: 'traced', subject: 'events.products.ProductCreated', type: 'shop.product.v1.ProductCreated', payload, traceContext }),
      outboxDocumentOf({ id: 'untraced', subject: 'events.products.ProductCreated', type: 'shop.product.v1.ProductCreated', payload }),
    ]);
    const [traced, untraced] = await new MongoOutboxStore(outbox).unpublished(10);
    expect(traced).toEqual({ id: 'traced', subject: 'events.products.ProductCreated', type: 'shop.product.v1.ProductCreated', payload: expect.anything(), traceContext, recordedAt: expect.any(Date) });
    expect(Buffer.from(traced!.payload)).toEqual(Buffer.from(payload));
    expect(untraced).not.toHaveProperty('traceContext');
    expect(await outbox.countDocuments({ traceContext: { $exists: true } })).toBe(1);
  });
});
