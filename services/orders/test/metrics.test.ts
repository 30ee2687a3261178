import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { claimPort } from '@shop/local-stack';
import { createServiceClient } from '@shop/runtime';
import { eventually, isolatedPgDatabase, startServiceProcess, testStores, uniqueName, type IsolatedDatabase, type ServiceProcess } from '@shop/testkit';
import { createProduct, createUser, ordersEnv, peerEnv, startPeers, uniqueNamespace, type Peers } from './support.js';

const namespace = uniqueNamespace('orders_metrics');
let peers: Peers | undefined;
let database: IsolatedDatabase | undefined;
let orders: ServiceProcess | undefined;

beforeAll(async () => {
  peers = await startPeers(namespace);
  database = await isolatedPgDatabase(testStores().ordersPgAdminUrl, 'orders', testStores().ordersReplicaPgAdminUrl);
});
afterAll(async () => {
  await orders?.stop();
  await peers?.stop();
  await database?.drop();
});

describe("orders' /metrics", () => {
  it('shows orders by status and saga step, and the replica lag, while NATS is down', async () => {
    const stoppedNats = `nats://127.0.0.1:${await claimPort(0, 'nats')}`;
    orders = await startServiceProcess('orders', {
      ...ordersEnv(database!, namespace, peerEnv(peers!)),
      NATS_URL: stoppedNats,
      LOG_LEVEL: 'info',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    });
    const [product, customer] = await Promise.all([createProduct(peers!, 300, 5), createUser(peers!, 'Metrics Reader')]);
    const client = createServiceClient(OrderService, { name: 'orders', address: orders.address, defaultTimeoutMs: 20_000 });
    await client.createOrder({ idempotencyKey: uniqueName('key'), customerId: customer.id, items: [{ productId: product.id, quantity: 1 }], shippingAddress: { line1: 'Main Street 1' } });

    const url = /"metricsUrl":"([^"]+)"/.exec(orders.output())?.[1];
    expect(url).toBeDefined();
    const text = await eventually(
      async () => {
        const body = await (await fetch(url!)).text();
        return /^orders_saga_orders[a-z_]*\{[^}]*status="CONFIRMED"[^}]*\} 1$/m.test(body) && body;
      },
      { description: 'the saga-state gauge counts the order', timeoutMs: 30_000 },
    );
    expect(text).toMatch(/^orders_saga_orders[a-z_]*\{[^}]*saga_step="done"[^}]*status="CONFIRMED"[^}]*\} 1$|^orders_saga_orders[a-z_]*\{[^}]*status="CONFIRMED"[^}]*saga_step="done"[^}]*\} 1$/m);
    expect(text).toMatch(/^orders_replica_lag[a-z_]*(\{[^}]*\})? [0-9.e+-]+$/m);
    expect(text).toMatch(/^orders_replica_behind[a-z_]*(\{[^}]*\})? [0-9.e+-]+$/m);
  });
});
