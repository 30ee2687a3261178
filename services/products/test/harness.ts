import { Code, ConnectError } from '@connectrpc/connect';
import { MongoClient, type Db } from 'mongodb';
import { createLogger, createServiceClient, type RunningServer } from '@shop/runtime';
import { testStores, uniqueName } from '@shop/testkit';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { ProductsConfig } from '../src/config.js';
import { startProductsService } from '../src/server.js';

/** A configuration with its own database and event namespace, for one test file. */
export function isolatedConfig(overrides: Partial<ProductsConfig> = {}): ProductsConfig {
  const stores = testStores();
  const mongoUrl = new URL(stores.mongoUrl);
  mongoUrl.pathname = `/${uniqueName('products').replace(/-/g, '_')}`;
  return {
    host: '127.0.0.1',
    port: 0,
    mongoUrl: mongoUrl.toString(),
    natsUrl: stores.natsUrl,
    eventsNamespace: uniqueName('t'),
    logLevel: 'silent',
    ...overrides,
  };
}

/** The products service started in-process, a gRPC client of it and a direct view of its database. */
export interface RunningProducts {
  readonly config: ProductsConfig;
  readonly server: RunningServer;
  readonly client: ReturnType<typeof productsClient>;
  readonly db: Db;
  stop(): Promise<void>;
}

/** A gRPC client of the products service at the address. */
export function productsClient(address: string) {
  return createServiceClient(ProductService, { name: 'products', address, defaultTimeoutMs: 30_000 });
}

/** Starts the service on port 0 with an isolated configuration. */
export async function startProducts(config = isolatedConfig()): Promise<RunningProducts> {
  const server = await startProductsService(config, createLogger('products-test', config.logLevel));
  const mongo = await MongoClient.connect(config.mongoUrl, { useBigInt64: true });
  return {
    config,
    server,
    client: productsClient(server.address),
    db: mongo.db(),
    stop: async () => {
      await server.shutdown();
      await mongo.close();
    },
  };
}

let skuCounter = 0;

/** A valid CreateProduct request with a fresh SKU. */
export function newProduct(overrides: Record<string, unknown> = {}) {
  skuCounter += 1;
  return {
    sku: `${uniqueName('sku')}-${skuCounter}`,
    name: 'Trail shoe',
    description: 'Light and grippy',
    categoryId: 'shoes',
    price: { amountMinor: 4999n, currencyCode: 'EUR' },
    stock: 10,
    ...overrides,
  };
}

/** The gRPC code and field of the error a call fails with. */
export async function failure(call: Promise<unknown>): Promise<{ code: Code; field: string | null; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConnectError)) throw new Error(`expected a ConnectError, got ${String(error)}`);
  return { code: error.code, field: error.metadata.get('field'), message: error.rawMessage };
}
