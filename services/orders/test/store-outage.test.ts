import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Code, createClient } from '@connectrpc/connect';
import { OrderService } from '@shop/gen/order/v1/order_service_pb';
import { startUsersPostgres, type UsersPostgres } from '@shop/local-stack';
import { grpcTransport, type RunningServer } from '@shop/runtime';
import { plainHealthCheck } from '@shop/runtime/testing';
import { eventually, expectConnectError, uniqueName } from '@shop/testkit';
import { ordersEnv, startOrdersInProcess, uniqueNamespace } from './support.js';

let dataDir: string;
let cluster: UsersPostgres;
let server: RunningServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'orders-store-outage-'));
  cluster = await startUsersPostgres({ dataDir, port: 0 });
  const primary = { url: cluster.databaseUrl, drop: async () => undefined };
  ({ server } = await startOrdersInProcess(ordersEnv(primary, uniqueNamespace('orders-outage'))));
}, 120_000);
afterAll(async () => {
  await server?.shutdown();
  await cluster?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the orders service when its primary PostgreSQL stops', () => {
  it('answers UNAVAILABLE naming postgres and reports NOT_SERVING', async () => {
    const client = createClient(OrderService, grpcTransport(server.address));
    await expectConnectError(client.getOrder({ id: randomUUID() }), Code.NotFound);
    await expect(plainHealthCheck(server.address)).resolves.toBe('SERVING');

    await cluster.stop();
    await eventually(async () => (await plainHealthCheck(server.address)) === 'NOT_SERVING', { description: 'health is NOT_SERVING' });
    const storeDown = 'postgres unavailable: the database cannot be reached';
    await expectConnectError(client.getOrder({ id: randomUUID() }), Code.Unavailable, storeDown);
    await expectConnectError(client.listOrders({ customerId: 'customer-1' }), Code.Unavailable, storeDown);
    const request = { idempotencyKey: uniqueName('key'), customerId: 'customer-1', items: [{ productId: 'p', quantity: 1 }], shippingAddress: { line1: 'Dock 4' } };
    await expectConnectError(client.createOrder(request), Code.Unavailable, storeDown);
  });
});
