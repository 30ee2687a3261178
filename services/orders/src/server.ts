import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import {
  bindService,
  connectEventBus,
  createLogger,
  createServiceClient,
  ensureEventStream,
  startGrpcServer,
  startOutboxRelay,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { orderServiceImpl } from './api/order-service.js';
import type { OrdersConfig } from './config.js';
import { CheckoutSaga } from './domain/checkout-saga.js';
import { Checkout } from './domain/checkout.js';
import { startSagaRecovery } from './domain/saga-recovery.js';
import { crashAfter } from './fault-injection.js';
import { productsCatalog } from './peers/products-catalog.js';
import { startCustomerNameConsumer } from './peers/user-events.js';
import { usersDirectory } from './peers/users-directory.js';
import { migrateSchema } from './storage/migrate.js';
import { PgOrderReader } from './storage/order-reader.js';
import { PgOrderStore } from './storage/order-store.js';
import { OutboxWriter, pgOutboxStore } from './storage/outbox.js';
import { closePools, openPools } from './storage/pools.js';
import { ReadRouting } from './storage/read-routing.js';
import { readSchemaFeatures } from './storage/schema-features.js';
import { WriteLsns } from './storage/write-lsns.js';

/** Something started that must be closed on shutdown (or when a later step of the start fails). */
interface Resource {
  readonly name: string;
  close(): Promise<void> | void;
}

/** Starts the orders service: migrations, stores, peers, saga recovery, outbox relay, user-event consumer, gRPC server. */
export async function startOrders(config: OrdersConfig, logger: Logger = createLogger('orders', config.LOG_LEVEL)): Promise<RunningServer> {
  const schemaVersion = await migrateSchema(config.ORDERS_DATABASE_URL, { target: config.ORDERS_SCHEMA_TARGET });
  logger.info({ schemaVersion }, 'schema migrated');
  const resources: Resource[] = [];
  try {
    return await startServing(config, logger, resources);
  } catch (error) {
    for (const resource of resources.reverse()) await Promise.resolve(resource.close()).catch(() => undefined);
    throw error;
  }
}

async function startServing(config: OrdersConfig, logger: Logger, resources: Resource[]): Promise<RunningServer> {
  const pools = openPools(config.ORDERS_DATABASE_URL, config.ORDERS_DATABASE_REPLICA_URL, logger);
  resources.push({ name: 'postgres', close: () => closePools(pools) });
  const bus = await connectEventBus(config.NATS_URL, 'orders', config.EVENTS_NAMESPACE);
  resources.push({ name: 'event bus', close: () => bus.close() });
  await ensureEventStream(bus, 'orders');
  const relay = startOutboxRelay({ store: pgOutboxStore(pools.primary), bus, logger });
  resources.push({ name: 'outbox relay', close: () => relay.stop() });
  const writeLsns = new WriteLsns();
  const store = new PgOrderStore(pools.primary, {
    outbox: new OutboxWriter(bus),
    features: await readSchemaFeatures(pools.primary),
    writeLsns,
    staleMs: config.ORDERS_SAGA_STALE_MS,
    afterCommit: () => relay.kick(),
  });
  const reader = new PgOrderReader(new ReadRouting(pools, config.ORDERS_REPLICA_WAIT_MS, logger), writeLsns);
  const catalog = productsCatalog(createServiceClient(ProductService, { name: 'products', address: config.PRODUCTS_ADDR }));
  const customers = usersDirectory(createServiceClient(UserService, { name: 'users', address: config.USERS_ADDR }));
  const saga = new CheckoutSaga(store, catalog, { giveUpMs: config.ORDERS_SAGA_GIVE_UP_MS, logger, afterStep: crashAfter(config.ORDERS_CRASH_AFTER_STEP) });
  const recovery = startSagaRecovery(store, saga, { intervalMs: config.ORDERS_SAGA_RECOVERY_INTERVAL_MS, leaseMs: config.ORDERS_SAGA_STALE_MS, logger });
  resources.push({ name: 'saga recovery', close: () => recovery.stop() });
  const consumer = await startCustomerNameConsumer(bus, pools.primary, logger);
  resources.push({ name: 'customer-name consumer', close: () => consumer.stop() });
  return startGrpcServer({
    services: [bindService(OrderService, orderServiceImpl(new Checkout(store, catalog, customers, saga), reader, writeLsns))],
    logger,
    host: config.ORDERS_HOST,
    port: config.ORDERS_PORT,
    healthChecks: { postgres: async () => void (await pools.primary.query('SELECT 1')) },
    resources,
  });
}
