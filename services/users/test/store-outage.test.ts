import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startUsersPostgres, type UsersPostgres } from '@shop/local-stack';
import { plainHealthCheck } from '@shop/runtime/testing';
import { Code } from '@connectrpc/connect';
import { eventually, expectConnectError, testStores, uniqueName } from '@shop/testkit';
import type { RunningUsers } from '../src/main.js';
import { plainUserClient, startService } from './harness.js';

let dataDir: string;
let cluster: UsersPostgres;
let service: RunningUsers;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'users-store-outage-'));
  cluster = await startUsersPostgres({ dataDir, port: 0 });
  const eventsNamespace = uniqueName('users-outage').replace(/-/g, '_');
  service = await startService({ host: '127.0.0.1', port: 0, logLevel: 'silent', databaseUrl: cluster.databaseUrl, namedStatements: false, natsUrl: testStores().natsUrl, eventsNamespace });
}, 120_000);
afterAll(async () => {
  await service?.shutdown();
  await cluster?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the users service when its PostgreSQL cluster stops', () => {
  it('answers UNAVAILABLE naming postgres and reports NOT_SERVING', async () => {
    const client = plainUserClient(service.address);
    const { user } = await client.createUser({ email: `${uniqueName('outage')}@example.com`, displayName: 'Before' });
    await expect(plainHealthCheck(service.address)).resolves.toBe('SERVING');

    await cluster.stop();
    await eventually(async () => (await plainHealthCheck(service.address)) === 'NOT_SERVING', { description: 'health is NOT_SERVING' });
    const storeDown = 'postgres unavailable: the database cannot be reached';
    await expectConnectError(client.listUsers({}), Code.Unavailable, storeDown);
    await expectConnectError(client.getUser({ id: user!.id }), Code.Unavailable, storeDown);
    await expectConnectError(client.createUser({ email: `${uniqueName('outage')}@example.com`, displayName: 'During' }), Code.Unavailable, storeDown);
  });
});
