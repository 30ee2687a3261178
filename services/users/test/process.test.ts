import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceProcess } from '@shop/testkit';
import { testEnvironment, userClient, type TestEnvironment } from './harness.js';

describe('the users service as its own process', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await testEnvironment();
  });
  afterAll(() => env?.database.drop());

  it('serves users from its environment and exits 0 on SIGTERM', async () => {
    const service = await startServiceProcess('users', {
      USERS_PORT: '0',
      USERS_DATABASE_URL: env.config.databaseUrl,
      NATS_URL: env.config.natsUrl,
      EVENTS_NAMESPACE: env.config.eventsNamespace,
    });
    try {
      const { user } = await userClient(service.address).createUser({ email: 'process@example.com', displayName: 'Process' });
      expect(user?.version).toBe(1n);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
});
