import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Code } from '@connectrpc/connect';
import { startMongoStandin, type MongoStandin } from '@shop/mongo-standin';
import { plainHealthCheck } from '@shop/runtime/testing';
import { eventually, expectConnectError, startTcpProxy, testStores, type TcpProxy } from '@shop/testkit';
import { isolatedConfig, newProduct, startProducts, type RunningProducts } from './harness.js';

const quickFailover = '?directConnection=true&serverSelectionTimeoutMS=1000&heartbeatFrequencyMS=500';

async function healthIs(products: RunningProducts, expected: string): Promise<void> {
  await eventually(async () => (await plainHealthCheck(products.server.address)) === expected, { description: `health ${expected}`, timeoutMs: 30_000 });
}

describe('when MongoDB becomes unreachable', () => {
  let proxy: TcpProxy;
  let products: RunningProducts;

  beforeAll(async () => {
    const store = new URL(testStores().mongoUrl);
    proxy = await startTcpProxy(store.hostname, Number(store.port));
    const viaProxy = new URL(isolatedConfig().mongoUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.search = quickFailover;
    products = await startProducts(isolatedConfig({ mongoUrl: viaProxy.toString() }));
  });
  afterAll(async () => {
    await proxy?.close();
    await products?.stop();
  });

  it('reports NOT_SERVING and answers UNAVAILABLE, then serves again once it is back', async () => {
    const { product } = await products.client.createProduct(newProduct());
    await expect(plainHealthCheck(products.server.address)).resolves.toBe('SERVING');

    await proxy.cut();
    await healthIs(products, 'NOT_SERVING');
    await expectConnectError(products.client.getProduct({ id: product!.id }), Code.Unavailable, 'mongodb unavailable');

    await proxy.restore();
    await healthIs(products, 'SERVING');
    await expect(products.client.getProduct({ id: product!.id })).resolves.toMatchObject({ product: { id: product!.id } });
  });
});

describe('when the MongoDB stand-in is stopped', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'products-outage-'));
  let standin: MongoStandin | undefined;
  let products: RunningProducts | undefined;

  afterEach(async () => {
    await products?.stop();
    await standin?.close();
  });

  it('answers UNAVAILABLE naming mongodb for reads and writes with health NOT_SERVING, and serves again once it restarts', async () => {
    standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    const port = standin.port;
    products = await startProducts(isolatedConfig({ mongoUrl: `mongodb://127.0.0.1:${port}/products${quickFailover}` }));
    const { product } = await products.client.createProduct(newProduct());

    await standin.close();
    standin = undefined;
    await healthIs(products, 'NOT_SERVING');
    await expectConnectError(products.client.getProduct({ id: product!.id }), Code.Unavailable, 'mongodb unavailable');
    await expectConnectError(products.client.reserveStock({ reservationId: 'during-outage', items: [{ productId: product!.id, quantity: 1 }] }), Code.Unavailable, 'mongodb unavailable');

    standin = await startMongoStandin({ port, dataDir, log: () => undefined });
    await healthIs(products, 'SERVING');
    await expect(products.client.getProduct({ id: product!.id })).resolves.toMatchObject({ product: { id: product!.id } });
  });
});
