import { bindService, createLogger, startEventPublishing, startGrpcServer, type RunningServer } from '@shop/runtime';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import type { Logger } from 'pino';
import { translatingErrors } from './api/error-translation.js';
import { productServiceImpl } from './api/product-service.js';
import type { ProductsConfig } from './config.js';
import { eventSource, ProductEvents } from './events/product-events.js';
import { migrate } from './storage/migrations.js';
import { MongoProductRepository } from './storage/mongo-product-repository.js';
import { MongoStockRepository } from './storage/mongo-stock-repository.js';
import { MongoStore } from './storage/mongo-store.js';
import { MongoOutboxStore } from './storage/outbox-store.js';
import { ProductLocks } from './storage/product-locks.js';
import { asStoreFailure } from './storage/store-errors.js';

/** Starts the products service: connects to MongoDB, applies migrations, relays the outbox and serves gRPC. */
export async function startProductsService(config: ProductsConfig, logger: Logger = createLogger('products', config.logLevel)): Promise<RunningServer> {
  const store = await MongoStore.connect(config.mongoUrl);
  try {
    await migrate(store.db, logger);
  } catch (error) {
    await store.close();
    throw error;
  }
  const publishing = startEventPublishing({ natsUrl: config.natsUrl, service: eventSource, namespace: config.eventsNamespace, store: new MongoOutboxStore(store.outbox), logger });
  store.onCommit(() => publishing.kick());
  const events = new ProductEvents(config.eventsNamespace);
  const locks = new ProductLocks();
  const impl = productServiceImpl({
    products: new MongoProductRepository(store, events, locks),
    stock: new MongoStockRepository(store, events, locks),
  });
  const resources = [
    { name: 'mongodb', close: () => store.close() },
    { name: 'event publishing', close: () => publishing.close() },
  ];
  try {
    return await startGrpcServer({
      services: [bindService(ProductService, translatingErrors(impl, asStoreFailure))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { mongodb: () => store.ping() },
      resources,
    });
  } catch (error) {
    for (const resource of resources.reverse()) await resource.close();
    throw error;
  }
}
