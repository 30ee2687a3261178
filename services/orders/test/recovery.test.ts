import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@connectrpc/connect';
import { OrderStatus, type Order } from '@shop/gen/order/v1/order_pb';
import type { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { eventually, isolatedPgDatabase, testStores, uniqueName, type IsolatedDatabase, type ServiceProcess } from '@shop/testkit';
import {
  createProduct,
  createUser,
  ordersEnv,
  peerEnv,
  queryOnce,
  startOrdersProcess,
  startPeers,
  stockOf,
  uniqueNamespace,
  type Peers,
} from './support.js';

const namespace = uniqueNamespace('orders-recovery');
let peers: Peers;
let database: IsolatedDatabase;
const running: ServiceProcess[] = [];

async function ordersProcess(extra: Record<string, string> = {}) {
  const started = await startOrdersProcess(ordersEnv(database, namespace, { ...peerEnv(peers), ...extra }));
  running.push(started.process);
  return started;
}

async function settledOrderOf(client: Client<typeof OrderService>, customerId: string): Promise<Order> {
  return eventually(async () => {
    const [order] = (await client.listOrders({ customerId })).orders;
    return order && order.status !== OrderStatus.PENDING ? order : undefined;
  }, { description: 'the order settled', intervalMs: 200, timeoutMs: 50_000 });
}

async function placeAndCrash(crashAfter: 'stored' | 'reserved', quantity: number) {
  const [product, customer] = await Promise.all([createProduct(peers, 300, 10), createUser(peers, uniqueName('customer'))]);
  const doomed = await ordersProcess({ ORDERS_CRASH_AFTER_STEP: crashAfter });
  const request = { idempotencyKey: uniqueName('key'), customerId: customer.id, items: [{ productId: product.id, quantity }], shippingAddress: { line1: 'Dock 4' } };
  await expect(doomed.client.createOrder(request)).rejects.toThrow();
  await doomed.process.kill();
  return { product, customer, request };
}

beforeAll(async () => {
  peers = await startPeers(namespace);
  database = await isolatedPgDatabase(testStores().ordersPgAdminUrl, 'orders');
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop()));
});

afterAll(async () => {
  await peers?.stop();
  await database?.drop();
});

describe('checkout saga recovery', () => {
  it.each([['stored'], ['reserved']] as const)('confirms an order whose process crashed right after it was %s, taking the stock once', async (step) => {
    const { product, customer, request } = await placeAndCrash(step, 3);
    const { client } = await ordersProcess();
    const settled = await settledOrderOf(client, customer.id);
    expect(settled).toMatchObject({ status: OrderStatus.CONFIRMED, idempotencyKey: request.idempotencyKey });
    expect(await stockOf(peers, product.id)).toBe(7);
    expect((await client.createOrder(request)).order!.id).toBe(settled.id);
    expect(await stockOf(peers, product.id)).toBe(7);
  });

  it('answers UNAVAILABLE naming products when the catalog is down, storing nothing', async () => {
    const [product, customer] = await Promise.all([createProduct(peers, 300, 10), createUser(peers, 'Mo')]);
    const { client } = await ordersProcess();
    await peers.products.stop();
    try {
      const request = { idempotencyKey: uniqueName('key'), customerId: customer.id, items: [{ productId: product.id, quantity: 1 }], shippingAddress: { line1: 'Dock 4' } };
      await expect(client.createOrder(request)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('products unavailable') });
      expect((await client.listOrders({ customerId: customer.id })).orders).toEqual([]);
    } finally {
      await peers.restartProducts();
    }
  });

  it('rejects a stored order whose stock cannot be reserved while products stay down, then settles the release once products return', async () => {
    const { product, customer } = await placeAndCrash('stored', 2);
    await peers.products.stop();
    try {
      const { client } = await ordersProcess({ ORDERS_SAGA_GIVE_UP_MS: '1500' });
      const settled = await settledOrderOf(client, customer.id);
      expect(settled.status).toBe(OrderStatus.REJECTED);
      expect(settled.statusReason).toContain('products unavailable');
    } finally {
      await peers.restartProducts();
    }
    await eventually(async () => {
      const [row] = await queryOnce<{ saga_step: string }>(database.url, 'SELECT saga_step FROM orders WHERE customer_id = $1', [customer.id]);
      return row?.saga_step === 'done';
    }, { description: 'the release compensation done', intervalMs: 200, timeoutMs: 50_000 });
    expect(await stockOf(peers, product.id)).toBe(10);
  });
});
