import { describe, expect, it } from '@jest/globals';
import { CartService } from '@shop/gen/cart/v1/cart_service_pb';
import { createServiceClient } from '../src/index.js';
import { plainHealthCheck } from '../src/testing/index.js';
import { eventually } from '@shop/testkit';
import { startFixture } from './fixtures/fixture-process.js';

describe('service process lifecycle', () => {
  it('finishes a slow call after SIGTERM, reports NOT_SERVING meanwhile, then exits 0', async () => {
    const fixtureProcess = startFixture({ FIXTURE_STORE_URL: 'postgres://localhost/db' });
    const address = `127.0.0.1:${await fixtureProcess.port}`;
    const client = createServiceClient(CartService, { name: 'fixture', address, defaultTimeoutMs: 10_000 });
    expect(await plainHealthCheck(address)).toBe('SERVING');
    const slowCall = client.getCart({ userId: 'slow' });
    await eventually(() => fixtureProcess.stdout().includes('SLOW_CALL_STARTED'), { description: 'the slow call to reach the server' });
    fixtureProcess.child.kill('SIGTERM');
    await eventually(async () => (await plainHealthCheck(address)) === 'NOT_SERVING', { description: 'health to turn NOT_SERVING while the call runs' });
    await expect(slowCall).resolves.toMatchObject({ cart: { userId: 'slow' } });
    expect(await fixtureProcess.exited).toBe(0);
  });

  it('exits non-zero with one line naming a missing URL variable', async () => {
    const fixtureProcess = startFixture({ FIXTURE_STORE_URL: '' });
    expect(await fixtureProcess.exited).not.toBe(0);
    expect(fixtureProcess.stderr().trim()).toBe('config error: FIXTURE_STORE_URL is required but not set');
  });

  it('exits non-zero with one line naming a bad port variable', async () => {
    const fixtureProcess = startFixture({ FIXTURE_STORE_URL: 'postgres://localhost/db', FIXTURE_PORT: 'eighty' });
    expect(await fixtureProcess.exited).not.toBe(0);
    expect(fixtureProcess.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^config error: FIXTURE_PORT is invalid/)]);
  });
});
