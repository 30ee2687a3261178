import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import {
  bindService,
  createLogger,
  isEntryPoint,
  ResourceStack,
  runService,
  startEventPublishing,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { productServiceImpl } from './api/product-service.js';
import { loadConfig, type ProductsConfig } from './config.js';
import { eventSource, ProductEvents } from './events/outbound/product-events.js';
import { migrate } from './storage/migrations.js';
import { MongoProductRepository } from './storage/mongo-product-repository.js';
import { MongoStockRepository } from './storage/mongo-stock-repository.js';
import { MongoStore } from './storage/mongo-store.js';
import { MongoOutboxStore } from './storage/outbox-store.js';
import { ProductLocks } from './storage/product-locks.js';
import { mongoOutage } from './storage/store-outage.js';

/** Options of startProducts. */
export interface ProductsOptions {
  readonly logger?: Logger;
}

/** Starts the products service: connects to MongoDB, applies migrations, publishes the outbox in the background and serves gRPC. */
export function startProducts(config: ProductsConfig, options: ProductsOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('products', config.logLevel);
  const warn = (resource: string, error: unknown) => logger.warn({ err: error, resource }, 'failed to close');
  return new ResourceStack().guard(async (stack) => {
    const store = stack.use('mongodb', await MongoStore.connect(config.mongoUrl), (opened) => opened.close());
    await migrate(store.db, logger);
    const publishing = stack.use(
      'event publishing',
      startEventPublishing({ natsUrl: config.natsUrl, service: eventSource, namespace: config.eventsNamespace, store: new MongoOutboxStore(store.outbox), logger }),
      (started) => started.close(),
    );
    store.onCommit(() => publishing.kick());
    const events = new ProductEvents(config.eventsNamespace);
    const locks = new ProductLocks();
    const impl = productServiceImpl({
      products: new MongoProductRepository(store, events, locks),
      stock: new MongoStockRepository(store, events, locks),
    });
    return startGrpcServer({
      services: [bindService(ProductService, impl)],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { mongodb: () => store.ping() },
      storeOutages: [mongoOutage],
      resources: stack.entries,
    });
  }, warn);
}

if (isEntryPoint(import.meta.url)) runService(async () => startProducts(loadConfig()));
