import { create, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { Client } from '@connectrpc/connect';
import { MoneySchema } from '@shop/gen/common/v1/money_pb';
import { ProductCreatedSchema, ProductDeletedSchema, ProductUpdatedSchema, StockChangedSchema } from '@shop/gen/product/v1/product_events_pb';
import { ProductSchema, type Product } from '@shop/gen/product/v1/product_pb';
import { SearchService, type SearchProductsRequestSchema, type SearchProductsResponse } from '@shop/gen/search/v1/search_service_pb';
import { connectEventBus, createLogger, createServiceClient, ensureEventStream, eventSubject, publishEvent, type EventBus, type RunningServer } from '@shop/runtime';
import { eventually, testStores, uniqueName } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { startSearch } from '../src/main.js';

/** The search service started in-process on its own alias and event namespace, with a bus to publish products' events. */
export interface SearchHarness {
  readonly alias: string;
  readonly namespace: string;
  readonly server: RunningServer;
  readonly client: Client<typeof SearchService>;
  readonly bus: EventBus;
  stop(): Promise<void>;
}

/** Starts the search service for one test file. */
export async function startSearchHarness(prefix: string, env: Record<string, string> = {}): Promise<SearchHarness> {
  const stores = testStores();
  const alias = uniqueName(prefix);
  const namespace = env['EVENTS_NAMESPACE'] ?? uniqueName(prefix).replace(/-/g, '_');
  const config = loadConfig({
    SEARCH_PORT: '0',
    SEARCH_ELASTICSEARCH_URL: stores.elasticsearchUrl,
    SEARCH_INDEX_ALIAS: alias,
    NATS_URL: stores.natsUrl,
    EVENTS_NAMESPACE: namespace,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startSearch(config, { logger: createLogger('search-test', 'silent'), healthIntervalMs: 200 });
  const bus = await connectEventBus(stores.natsUrl, 'search-test', namespace);
  await ensureEventStream(bus, 'products');
  const client = createServiceClient(SearchService, { name: 'search', address: server.address, defaultTimeoutMs: 10_000 });
  return {
    alias,
    namespace,
    server,
    client,
    bus,
    stop: async () => {
      await bus.close();
      await server.shutdown();
    },
  };
}

/** Fields of a test product; the rest get plain defaults. */
export interface ProductFields {
  name?: string;
  description?: string;
  categoryId?: string;
  priceMinor?: bigint;
  stock?: number;
}

/** A product snapshot at a version. */
export function productAt(id: string, version: bigint, fields: ProductFields = {}): Product {
  return create(ProductSchema, {
    id,
    sku: `sku-${id}`,
    name: fields.name ?? `Product ${id}`,
    description: fields.description ?? '',
    categoryId: fields.categoryId ?? 'misc',
    price: create(MoneySchema, { amountMinor: fields.priceMinor ?? 1000n, currencyCode: 'EUR' }),
    stock: fields.stock ?? 5,
    version,
  });
}

async function publish<S extends DescMessage>(bus: EventBus, schema: S, event: MessageShape<S> & { eventId: string }): Promise<void> {
  await publishEvent(bus, { id: event.eventId, subject: eventSubject(bus, 'products', schema), type: schema.typeName, payload: toBinary(schema, event) });
}

/** Publishes ProductCreated for the product at its version. */
export function publishCreated(bus: EventBus, product: Product): Promise<void> {
  return publish(bus, ProductCreatedSchema, create(ProductCreatedSchema, { eventId: uniqueName('created'), productId: product.id, version: product.version, product }));
}

/** Publishes ProductUpdated for the product at its version; the event id may be repeated to publish a duplicate. */
export function publishUpdated(bus: EventBus, product: Product, eventId = uniqueName('updated')): Promise<void> {
  return publish(bus, ProductUpdatedSchema, create(ProductUpdatedSchema, { eventId, productId: product.id, version: product.version, product, changedFields: ['name'] }));
}

/** Publishes StockChanged for the product at its version. */
export function publishStockChanged(bus: EventBus, product: Product): Promise<void> {
  const event = create(StockChangedSchema, { eventId: uniqueName('stock'), productId: product.id, version: product.version, stock: product.stock, reason: 'adjust', product });
  return publish(bus, StockChangedSchema, event);
}

/** Publishes ProductDeleted at a version. */
export function publishDeleted(bus: EventBus, productId: string, version: bigint): Promise<void> {
  return publish(bus, ProductDeletedSchema, create(ProductDeletedSchema, { eventId: uniqueName('deleted'), productId, version }));
}

/** Searches until the response satisfies the condition, within a bound, and resolves with that response. */
export function searchUntil(
  client: Client<typeof SearchService>,
  request: MessageInitShape<typeof SearchProductsRequestSchema>,
  done: (response: SearchProductsResponse) => boolean,
  timeoutMs = 15_000,
): Promise<SearchProductsResponse> {
  return eventually(
    async () => {
      const response = await client.searchProducts(request);
      return done(response) && response;
    },
    { description: `a search for ${JSON.stringify(request, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value))} to settle`, timeoutMs },
  );
}

/** The product ids of a response's hits, in order. */
export function idsOf(response: SearchProductsResponse): string[] {
  return response.hits.map((hit) => hit.productId);
}
