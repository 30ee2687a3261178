import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Redis } from 'ioredis';
import { Code } from '@connectrpc/connect';
import { plainHealthCheck } from '@shop/runtime/testing';
import { eventually, expectConnectError, startServiceProcess, testStores, uniqueName } from '@shop/testkit';
import { loadConfig } from '../src/config.js';
import { cartClient, linesOf, startTestCartService, type TestCartService } from './cart-test-service.js';

const namespace = uniqueName('cart_store').replace(/-/g, '_');

describe('the cart store: its own Redis user, key namespace and expiry', () => {
  let cartUser: Redis;
  let admin: Redis;
  let shortLived: TestCartService;

  beforeAll(async () => {
    cartUser = new Redis(testStores().cartRedisUrl);
    admin = new Redis(testStores().redisAdminUrl);
    shortLived = await startTestCartService(namespace, { CART_TTL_SECONDS: '1' });
  });
  afterAll(async () => {
    await shortLived.server.shutdown();
    cartUser.disconnect();
    admin.disconnect();
  });

  it('refuses the cart credentials any key outside cart:* with NOPERM', async () => {
    const foreign = uniqueName('orders:probe');
    await admin.set(foreign, 'secret');
    await expect(cartUser.get(foreign)).rejects.toThrow(/NOPERM/);
    await expect(cartUser.set(uniqueName('users:probe'), 'x')).rejects.toThrow(/NOPERM/);
    await expect(cartUser.eval("return redis.call('GET', KEYS[1])", 1, foreign)).rejects.toThrow(/NOPERM/);
    await expect(cartUser.set(uniqueName('cart:probe'), 'x', 'EX', 5)).resolves.toBe('OK');
    await admin.del(foreign);
  });

  it('stores a cart as one hash under cart:v1:users:<user_id> with a TTL', async () => {
    const userId = uniqueName('user');
    await shortLived.client.addItem({ userId, productId: 'p', quantity: 3 });
    const key = `cart:v1:users:${userId}`;
    expect(await admin.type(key)).toBe('hash');
    expect(await admin.hget(key, 'q:p')).toBe('3');
    expect(await admin.pttl(key)).toBeGreaterThan(0);
  });

  it('drops a cart after CART_TTL_SECONDS without writes', async () => {
    const userId = uniqueName('user');
    const { cart } = await shortLived.client.addItem({ userId, productId: 'p', quantity: 1 });
    expect(timestampDate(cart!.expireTime!).getTime() - timestampDate(cart!.updateTime!).getTime()).toBeLessThanOrEqual(1000);
    await eventually(async () => linesOf(await shortLived.client.getCart({ userId })).length === 0, { description: 'the cart expires' });
  });

  it('fails to start with one line naming CART_REDIS_URL and Redis reason when the password is wrong, without printing it', async () => {
    const url = new URL(testStores().cartRedisUrl);
    url.password = 'wrong-password-1234';
    const start = startServiceProcess('cart', { CART_PORT: '0', CART_REDIS_URL: url.toString(), NATS_URL: testStores().natsUrl, EVENTS_NAMESPACE: namespace });
    const error = (await start.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('start failed: cannot connect to CART_REDIS_URL: WRONGPASS');
    expect(error.message).not.toContain('wrong-password-1234');
  });

  it('runs as its own process with the cart credentials and stops cleanly on SIGTERM', async () => {
    const env = { CART_PORT: '0', CART_REDIS_URL: testStores().cartRedisUrl, NATS_URL: testStores().natsUrl, EVENTS_NAMESPACE: namespace };
    const child = await startServiceProcess('cart', env);
    const userId = uniqueName('user');
    expect(linesOf(await cartClient(child.address).addItem({ userId, productId: 'p', quantity: 4 }))).toEqual([['p', 4]]);
    expect(await child.stop()).toBe(0);
  });

  it('reports NOT_SERVING and answers UNAVAILABLE naming redis while its Redis user is refused, then recovers', async () => {
    const user = uniqueName('cart_probe');
    await admin.call('ACL', 'SETUSER', user, 'on', '>probe-password', 'resetkeys', '~cart:*', 'resetchannels', '+@all', '-@dangerous', '+info');
    const url = new URL(testStores().cartRedisUrl);
    [url.username, url.password] = [user, 'probe-password'];
    const probe = await startTestCartService(namespace, { CART_REDIS_URL: url.toString() });
    try {
      await admin.call('ACL', 'SETUSER', user, 'off');
      await admin.call('CLIENT', 'KILL', 'USER', user);
      await eventually(async () => (await plainHealthCheck(probe.server.address)) === 'NOT_SERVING', { description: 'health turns NOT_SERVING' });
      await expectConnectError(probe.client.getCart({ userId: 'u' }), Code.Unavailable, 'redis unavailable');
      await admin.call('ACL', 'SETUSER', user, 'on');
      await eventually(async () => (await plainHealthCheck(probe.server.address)) === 'SERVING', { description: 'health turns SERVING again' });
    } finally {
      await probe.server.shutdown();
      await admin.call('ACL', 'DELUSER', user);
    }
  });

  it('fails fast naming a missing or bad variable', () => {
    expect(() => loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' })).toThrow('config error: CART_REDIS_URL is required but not set');
    expect(() => loadConfig({ CART_REDIS_URL: 'redis://h', NATS_URL: 'nats://h', CART_TTL_SECONDS: '0' })).toThrow(/CART_TTL_SECONDS is invalid/);
  });
});
