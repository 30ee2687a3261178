import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Client } from '@connectrpc/connect';
import { AnalyticsService } from '@shop/gen/analytics/v1/analytics_service_pb';
import { OrderConfirmedSchema, OrderPlacedSchema, OrderRejectedSchema } from '@shop/gen/order/v1/order_events_pb';
import { ProductCreatedSchema, ProductUpdatedSchema } from '@shop/gen/product/v1/product_events_pb';
import { UserCreatedSchema } from '@shop/gen/user/v1/user_events_pb';
import { connectEventBus, createLogger, createServiceClient, ensureEventStream, eventSubject, publishEvent, type EventBus, type RunningServer } from '@shop/runtime';
import { testStores, uniqueName } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startAnalytics } from '../src/main.js';

/** The analytics service started in-process on its own DuckDB file and event namespace, with a bus to publish the owners' events. */
export interface AnalyticsHarness {
  readonly namespace: string;
  readonly duckdbPath: string;
  readonly server: RunningServer;
  readonly client: Client<typeof AnalyticsService>;
  readonly bus: EventBus;
  stop(): Promise<void>;
}

/** A fresh DuckDB file path in a temporary folder. */
export function freshDuckDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'analytics-test-')), 'analytics.duckdb');
}

/** Starts the analytics service for one test file. */
export async function startAnalyticsHarness(prefix: string): Promise<AnalyticsHarness> {
  const stores = testStores();
  const namespace = uniqueName(prefix).replace(/-/g, '_');
  const duckdbPath = freshDuckDbPath();
  const config = loadConfig({ ANALYTICS_PORT: '0', ANALYTICS_DUCKDB_PATH: duckdbPath, NATS_URL: stores.natsUrl, EVENTS_NAMESPACE: namespace, LOG_LEVEL: 'silent' });
  const server = await startAnalytics(config, { logger: createLogger('analytics-test', (process.env.ANALYTICS_TEST_LOG ?? 'silent') as 'silent') });
  const bus = await connectEventBus(stores.natsUrl, 'analytics-test', namespace);
  await Promise.all(['orders', 'products', 'users'].map((source) => ensureEventStream(bus, source)));
  const client = createServiceClient(AnalyticsService, { name: 'analytics', address: server.address, defaultTimeoutMs: 10_000 });
  return {
    namespace,
    duckdbPath,
    server,
    client,
    bus,
    stop: async () => {
      await bus.close();
      await server.shutdown();
    },
  };
}

/** An event as published on the bus. */
export interface PublishedEvent {
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly payload: Uint8Array;
}

/** Publishes one event as its owner's outbox relay would (Nats-Msg-Id = event id). */
export async function publish<D extends DescMessage>(bus: EventBus, source: string, schema: D, init: MessageInitShape<D> & { eventId?: string }): Promise<PublishedEvent> {
  const id = init.eventId || uniqueName('event');
  const event = { id, subject: eventSubject(bus, source, schema), type: schema.typeName, payload: toBinary(schema, create(schema, { ...init, eventId: id } as MessageInitShape<D>)) };
  await publishEvent(bus, event);
  return event;
}

/** Publishes the same event again under a new bus message id, as a relay retrying after the bus's deduplication window would. */
export async function republish(bus: EventBus, event: PublishedEvent): Promise<void> {
  await publishEvent(bus, { ...event, id: uniqueName('redelivery') });
}

const usd = (amountMinor: bigint) => ({ amountMinor, currencyCode: 'USD' });

/** Builders of the owners' events with plain defaults. */
export const events = {
  productCreated: (bus: EventBus, id: string, at: Date, fields: { name: string; categoryId: string; priceMinor: bigint }) =>
    publish(bus, 'products', ProductCreatedSchema, {
      productId: id,
      version: 1n,
      occurTime: timestampFromDate(at),
      product: { id, sku: id, name: fields.name, categoryId: fields.categoryId, price: usd(fields.priceMinor), version: 1n },
    }),
  productRenamed: (bus: EventBus, id: string, version: bigint, at: Date, fields: { name: string; categoryId: string; priceMinor: bigint }, eventId?: string) =>
    publish(bus, 'products', ProductUpdatedSchema, {
      eventId,
      productId: id,
      version,
      occurTime: timestampFromDate(at),
      product: { id, sku: id, name: fields.name, categoryId: fields.categoryId, price: usd(fields.priceMinor), version },
      changedFields: ['name'],
    }),
  userCreated: (bus: EventBus, id: string, at: Date, displayName: string) =>
    publish(bus, 'users', UserCreatedSchema, { userId: id, version: 1n, occurTime: timestampFromDate(at), user: { id, displayName, email: `${id}@example.com`, version: 1n, createTime: timestampFromDate(at) } }),
  orderPlaced: (bus: EventBus, id: string, at: Date, fields: { customerId: string; items: { productId: string; quantity: number }[]; totalMinor: bigint }, eventId?: string) =>
    publish(bus, 'orders', OrderPlacedSchema, { eventId, orderId: id, version: 1n, occurTime: timestampFromDate(at), customerId: fields.customerId, items: fields.items, total: usd(fields.totalMinor) }),
  orderConfirmed: (bus: EventBus, id: string, at: Date, customerId: string, eventId?: string) =>
    publish(bus, 'orders', OrderConfirmedSchema, { eventId, orderId: id, version: 2n, occurTime: timestampFromDate(at), customerId }),
  orderRejected: (bus: EventBus, id: string, version: bigint, at: Date, customerId: string) =>
    publish(bus, 'orders', OrderRejectedSchema, { orderId: id, version, occurTime: timestampFromDate(at), customerId, reason: 'out of stock' }),
};
