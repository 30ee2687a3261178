import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { UserService } from '@shop/gen/user/v1/user_service_pb';
import {
  bindService,
  createLogger,
  createServiceClient,
  isEntryPoint,
  ResourceStack,
  runService,
  startBackgroundConsumer,
  startEventPublishing,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { pgOutboxStore } from '@shop/postgres';
import { checkoutAdmission } from './api/checkout-admission.js';
import { orderServiceImpl } from './api/order-service.js';
import { loadConfig, type OrdersConfig } from './config.js';
import { CheckoutSaga } from './domain/checkout-saga.js';
import { Checkout } from './domain/checkout.js';
import { CustomerNames } from './domain/customer-names.js';
import { startSagaRecovery } from './domain/saga-recovery.js';
import { WriteLsns } from './domain/write-lsns.js';
import { userEventHandler } from './events/inbound/user-events.js';
import { orderEvents } from './events/outbound/order-events.js';
import { crashAfter } from './fault-injection.js';
import { productsCatalog } from './peers/products-catalog.js';
import { usersDirectory } from './peers/users-directory.js';
import { migrateOrdersDatabase } from './storage/migrate.js';
import { PgOrderReader } from './storage/order-reader.js';
import { PgOrderStore } from './storage/order-store.js';
import { pgCustomerNames } from './storage/pg-customer-names.js';
import { closePools, openPools } from './storage/pools.js';
import { ReadRouting } from './storage/read-routing.js';
import { registerSagaGauges } from './storage/saga-gauges.js';
import { readSchemaFeatures } from './storage/schema-features.js';
import { ordersStoreOutage } from './storage/store-outage.js';

/** Options of startOrders beyond the configuration. */
export interface StartOrdersOptions {
  readonly logger?: Logger;
}

/**
 * Starts the orders service: stores and migrations, event publishing and the user-event consumer (both connecting
 * in the background), peers, saga recovery and the gRPC server.
 */
export async function startOrders(config: OrdersConfig, options: StartOrdersOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('orders', config.logLevel);
  return new ResourceStack().guard(async (stack) => {
    const pools = stack.use('postgres', openPools(config.databaseUrl, config.replicaUrl, logger), closePools);
    const schemaVersion = await migrateOrdersDatabase(pools.primary, { target: config.schemaTarget });
    logger.info({ schemaVersion }, 'schema migrated');
    const features = await readSchemaFeatures(pools.primary);
    const outbox = pgOutboxStore(pools.primary, { traceContextColumn: features.outboxTraceContext });
    const publishing = stack.use(
      'event publishing',
      startEventPublishing({ natsUrl: config.natsUrl, service: 'orders', namespace: config.eventsNamespace, store: outbox, logger }),
      (started) => started.close(),
    );
    const writeLsns = new WriteLsns();
    const store = new PgOrderStore(pools.primary, {
      events: orderEvents({ namespace: config.eventsNamespace }),
      features,
      writeLsns,
      staleMs: config.sagaStaleMs,
      namedStatements: config.namedStatements,
      afterCommit: () => publishing.kick(),
    });
    const reader = new PgOrderReader(new ReadRouting(pools, config.replicaWaitMs, logger), writeLsns);
    const catalog = productsCatalog(createServiceClient(ProductService, { name: 'products', address: config.productsAddr }));
    const customers = usersDirectory(createServiceClient(UserService, { name: 'users', address: config.usersAddr }));
    const saga = new CheckoutSaga(store, catalog, { giveUpMs: config.sagaGiveUpMs, logger, afterStep: crashAfter(config.crashAfterStep) });
    const recoveryOptions = { intervalMs: config.sagaRecoveryIntervalMs, leaseMs: config.sagaStaleMs, logger };
    stack.use('saga recovery', startSagaRecovery(store, saga, recoveryOptions), (recovery) => recovery.stop());
    stack.use('saga gauges', registerSagaGauges(pools), (unregister) => unregister());
    const customerNames = new CustomerNames(pgCustomerNames(pools.primary));
    stack.use(
      'user-event consumer',
      startBackgroundConsumer({ natsUrl: config.natsUrl, namespace: config.eventsNamespace, service: 'orders', logger, handle: userEventHandler(customerNames, logger) }),
      (consumer) => consumer.close(),
    );
    const admission = checkoutAdmission(config.checkoutConcurrency, config.checkoutQueueLimit);
    return startGrpcServer({
      services: [bindService(OrderService, orderServiceImpl(new Checkout(store, catalog, customers, saga), reader, writeLsns, admission))],
      logger,
      host: config.host,
      port: config.port,
      healthChecks: { postgres: async () => void (await pools.primary.query('SELECT 1')) },
      storeOutages: [ordersStoreOutage],
      resources: stack.entries,
    });
  });
}

if (isEntryPoint(import.meta.url)) runService(() => startOrders(loadConfig()));
