import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FREE_STORE_PORTS, startLocalStores } from '@shop/local-stack';
import { startMongoStandin } from '@shop/mongo-standin';
import { startEsStandin } from '@shop/es-standin';
import { testStoreVariables } from '@shop/testkit';

/** Starts the test stores once for the whole run, unless every TEST_* variable already names a server. */
export async function startTestStores(): Promise<void> {
  const variables = Object.values(testStoreVariables);
  if (variables.every((variable) => process.env[variable])) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-test-stores-'));
  await chmod(dataDir, 0o755);
  const [stores, mongo, es] = await Promise.all([
    startLocalStores({ dataDir: join(dataDir, 'stores'), ports: FREE_STORE_PORTS }),
    startMongoStandin({ port: 0, dataDir: join(dataDir, 'mongo') }),
    startEsStandin({ port: 0, dataDir: join(dataDir, 'es') }),
  ]);
  const values: Record<string, string> = {
    [testStoreVariables.ordersPgAdminUrl]: stores.admin.ordersPrimaryUrl,
    [testStoreVariables.ordersReplicaPgAdminUrl]: stores.admin.ordersReplicaUrl,
    [testStoreVariables.usersPgAdminUrl]: stores.admin.usersUrl,
    [testStoreVariables.redisAdminUrl]: stores.admin.redisUrl,
    [testStoreVariables.cartRedisUrl]: stores.cartRedisUrl,
    [testStoreVariables.natsUrl]: stores.natsUrl,
    [testStoreVariables.mongoUrl]: mongo.url,
    [testStoreVariables.elasticsearchUrl]: es.url,
  };
  for (const [variable, value] of Object.entries(values)) process.env[variable] ??= value;
  (globalThis as { shopTestStores?: { stop(): Promise<void> } }).shopTestStores = {
    stop: async () => {
      await Promise.all([stores.stop(), mongo.close(), es.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Stops the stores startTestStores started. */
export async function stopTestStores(): Promise<void> {
  await (globalThis as { shopTestStores?: { stop(): Promise<void> } }).shopTestStores?.stop();
}
