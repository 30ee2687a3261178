import { createServer } from 'node:net';
import { createClient, type ConnectError } from '@connectrpc/connect';
import { MongoClient, type Db } from 'mongodb';
import { createLogger, grpcTransport, type RunningServer } from '@shop/runtime';
import { testStores, uniqueName } from '@shop/testkit';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { ProductsConfig } from '../src/config.js';
import { startProducts as startProductsService } from '../src/main.js';

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
    logLevel: (process.env.PRODUCTS_TEST_LOG_LEVEL ?? 'silent') as ProductsConfig['logLevel'],
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

/** A plain gRPC client of the products service at the address: no retries, so tests see each status as the service sent it. */
export function productsClient(address: string) {
  return createClient(ProductService, grpcTransport(address));
}

/** Starts the service on port 0 with an isolated configuration. */
export async function startProducts(config = isolatedConfig()): Promise<RunningProducts> {
  const server = await startProductsService(config, { logger: createLogger('products-test', config.logLevel) });
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

/** The field a refusal names in its `field` metadata, null when it names none. */
export function fieldOf(error: ConnectError): string | null {
  return error.metadata.get('field');
}

/** A local port nothing listens on right now, for a store that is down (or started later on it). */
export function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
