import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { eventually } from '@shop/testkit';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { healthStatus, type RunningServer } from '../src/index.js';
import { startCartFixtureServer } from './fixtures/cart-fixture-service.js';
import { referenceHealthClient, type ReferenceHealthClient } from '../src/testing/index.js';

describe('grpc.health.v1 as the runtime serves it, called from the reference health.proto', () => {
  let server: RunningServer;
  let client: ReferenceHealthClient;
  let storeReachable = true;

  beforeAll(async () => {
    server = await startCartFixtureServer({
      healthChecks: { store: async () => { if (!storeReachable) throw new Error('store down'); } },
      healthIntervalMs: 50,
    });
    client = referenceHealthClient(server.address);
  });
  afterAll(async () => {
    client.close();
    await server.shutdown();
  });

  it('answers Check for the server and each service, and NOT_FOUND for a name it does not serve', async () => {
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) => client.check({ service }, { deadline: Date.now() + 5000 }, (error, response) => (error ? reject(error) : resolve(response))));
    await expect(check('')).resolves.toEqual({ status: 'SERVING' });
    await expect(check(CartService.typeName)).resolves.toEqual({ status: 'SERVING' });
    await expect(check('shop.nothing.v1.Nothing')).rejects.toMatchObject({ code: status.NOT_FOUND, details: 'Health status unknown for service shop.nothing.v1.Nothing' });
    await expect(healthStatus(server.address, CartService.typeName)).resolves.toBe('SERVING');
  });

  it('lists every status it serves', async () => {
    const listed = await new Promise<{ statuses: Record<string, { status: string }> }>((resolve, reject) =>
      client.list({}, { deadline: Date.now() + 5000 }, (error, response) => (error ? reject(error) : resolve(response))),
    );
    expect(listed.statuses).toEqual({ '': { status: 'SERVING' }, [CartService.typeName]: { status: 'SERVING' } });
  });

  it('streams a watched status as it changes, and SERVICE_UNKNOWN for a name it does not serve', async () => {
    const seen: string[] = [];
    const watch = client.watch({ service: CartService.typeName });
    watch.on('data', (message: { status: string }) => seen.push(message.status));
    watch.on('error', () => undefined);
    const unknown = client.watch({ service: 'shop.nothing.v1.Nothing' });
    const firstUnknown = new Promise<string>((resolve) => unknown.once('data', (message: { status: string }) => resolve(message.status)));
    unknown.on('error', () => undefined);
    try {
      await expect(firstUnknown).resolves.toBe('SERVICE_UNKNOWN');
      await eventually(() => seen.includes('SERVING'), { description: 'the watch to report SERVING' });
      storeReachable = false;
      await eventually(() => seen.at(-1) === 'NOT_SERVING', { description: 'the watch to report NOT_SERVING' });
      storeReachable = true;
      await eventually(() => seen.at(-1) === 'SERVING', { description: 'the watch to report SERVING again' });
      expect(seen[0]).toBe('SERVING');
      expect(seen).toContain('NOT_SERVING');
    } finally {
      watch.cancel();
      unknown.cancel();
      storeReachable = true;
    }
  });
});

