import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { UserCreatedSchema } from '@shop/gen/user/v1/user_events_pb';
import { claimPort, natsAdminUrl, startNats, type NatsStore } from '@shop/local-stack';
import { connectEventBus, eventStreamOf, type EventBus } from '@shop/runtime';
import { eventually, uniqueName } from '@shop/testkit';
import type { RunningUsers } from '../src/main.js';
import { startService, testEnvironment, userClient, type TestEnvironment } from './harness.js';

let env: TestEnvironment;
let dataDir: string;
let natsPort: number;
let service: RunningUsers | undefined;
let nats: NatsStore | undefined;
let bus: EventBus | undefined;

beforeAll(async () => {
  env = await testEnvironment();
  dataDir = await mkdtemp(path.join(tmpdir(), 'users-nats-outage-'));
  natsPort = await claimPort(0, 'nats');
});
afterAll(async () => {
  await bus?.close();
  await service?.shutdown();
  await nats?.stop();
  await env?.database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function unpublishedEvents(): Promise<number> {
  const client = new pg.Client({ connectionString: env.config.databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe('the users service while NATS is down', () => {
  it('starts and serves, keeps the event in the outbox, and publishes it once when the bus is back', async () => {
    const config = { ...env.config, natsUrl: natsAdminUrl(dataDir, natsPort) };
    service = await startService(config);
    const { user } = await userClient(service.address).createUser({ email: `${uniqueName('offline')}@example.com`, displayName: 'Offline' });
    expect(await unpublishedEvents()).toBe(1);

    nats = await startNats({ dataDir, port: natsPort });
    await eventually(async () => (await unpublishedEvents()) === 0, { description: 'the outbox relayed once NATS is up', timeoutMs: 60_000 });
    bus = await connectEventBus(nats.url, 'users-nats-outage-test', config.eventsNamespace);
    const stream = eventStreamOf(bus, 'users').name;
    expect((await (await jetstreamManager(bus.nc)).streams.info(stream)).state.messages).toBe(1);
    const consumer = await bus.js.consumers.get(stream);
    const message = await consumer.next({ expires: 10_000 });
    expect(fromBinary(UserCreatedSchema, message!.data)).toMatchObject({ userId: user!.id, version: 1n, user: { displayName: 'Offline' } });
  });
});
