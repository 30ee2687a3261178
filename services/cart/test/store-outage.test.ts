import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code } from '@connectrpc/connect';
import { startRedis, type RedisStore } from '@shop/local-stack';
import { plainHealthCheck } from '@shop/runtime/testing';
import { eventually, expectConnectError, uniqueName } from '@shop/testkit';
import { linesOf, startTestCartService, type TestCartService } from './cart-test-service.js';

describe('when its Redis server stops', () => {
  let dataDir: string;
  let redis: RedisStore;
  let cart: TestCartService;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cart-outage-'));
    redis = await startRedis({ dataDir, port: 0 });
    cart = await startTestCartService(uniqueName('cart_outage').replace(/-/g, '_'), { CART_REDIS_URL: redis.cartUrl });
  });
  afterAll(async () => {
    await cart?.server.shutdown();
    await redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports NOT_SERVING and answers UNAVAILABLE naming redis, then serves writes again once Redis is back', async () => {
    const userId = uniqueName('user');
    await cart.client.addItem({ userId, productId: 'p', quantity: 2 });
    expect(await plainHealthCheck(cart.server.address)).toBe('SERVING');

    await redis.stop();
    await eventually(async () => (await plainHealthCheck(cart.server.address)) === 'NOT_SERVING', { description: 'health turns NOT_SERVING' });
    await expectConnectError(cart.client.getCart({ userId }), Code.Unavailable, 'redis unavailable');

    redis = await startRedis({ dataDir, port: redis.port });
    await eventually(async () => (await plainHealthCheck(cart.server.address)) === 'SERVING', { description: 'health turns SERVING again' });
    expect(linesOf(await cart.client.addItem({ userId: uniqueName('user'), productId: 'p', quantity: 1 }))).toEqual([['p', 1]]);
  });
});
