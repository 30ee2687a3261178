import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { plainHealthCheck } from '@shop/runtime/testing';
import { testStores } from '@shop/testkit';
import { eventually } from './event-stream.js';
import { isolatedConfig, newProduct, startProducts, type RunningProducts } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

let proxy: TcpProxy;
let products: RunningProducts;

beforeAll(async () => {
  const store = new URL(testStores().mongoUrl);
  proxy = await startTcpProxy(store.hostname, Number(store.port));
  const viaProxy = new URL(isolatedConfig().mongoUrl);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  viaProxy.search = '?directConnection=true&serverSelectionTimeoutMS=1000&heartbeatFrequencyMS=500';
  products = await startProducts(isolatedConfig({ mongoUrl: viaProxy.toString() }));
});
afterAll(async () => {
  await proxy.close();
  await products.stop();
});

describe('when MongoDB becomes unreachable', () => {
  it('reports NOT_SERVING and answers UNAVAILABLE, then serves again once it is back', async () => {
    const { product } = await products.client.createProduct(newProduct());
    await expect(plainHealthCheck(products.server.address)).resolves.toBe('SERVING');

    await proxy.cut();
    await eventually(async () => (await plainHealthCheck(products.server.address)) === 'NOT_SERVING', 'health is NOT_SERVING', 30_000);
    await expect(products.client.getProduct({ id: product!.id })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('mongodb unavailable'),
    });

    await proxy.restore();
    await eventually(async () => (await plainHealthCheck(products.server.address)) === 'SERVING', 'health is SERVING again', 30_000);
    await expect(products.client.getProduct({ id: product!.id })).resolves.toMatchObject({ product: { id: product!.id } });
  });
});
