import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create, fromBinary } from '@bufbuild/protobuf';
import { FieldMaskSchema } from '@bufbuild/protobuf/wkt';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectEventBus, eventStreamOf, eventSubject, eventTypeHeader, type EventBus } from '@shop/runtime';
import { pgOutboxStore } from '@shop/postgres';
import { eventually, uniqueName } from '@shop/testkit';
import { UserCreatedSchema, UserUpdatedSchema } from '@shop/gen/user/v1/user_events_pb';
import { startService, testEnvironment, userClient, type TestEnvironment } from './harness.js';
import type { RunningUsers } from '../src/main.js';
import pg from 'pg';

async function readStream(bus: EventBus, count: number) {
  const stream = eventStreamOf(bus, 'users').name;
  const jsm = await jetstreamManager(bus.nc);
  await eventually(async () => (await jsm.streams.info(stream)).state.messages >= count, { description: `${count} events on ${stream}` });
  const consumer = await bus.js.consumers.get(stream);
  const messages = [];
  for await (const message of await consumer.fetch({ max_messages: count })) {
    messages.push(message);
    if (messages.length === count) break;
  }
  return messages;
}

describe('events of the users service', () => {
  let env: TestEnvironment;
  let service: RunningUsers;
  let bus: EventBus;

  beforeAll(async () => {
    env = await testEnvironment();
    service = await startService(env.config);
    bus = await connectEventBus(env.config.natsUrl, 'users-events-test', env.config.eventsNamespace);
  });
  afterAll(async () => {
    await bus?.close();
    await service?.shutdown();
    await env?.database.drop();
  });

  it('publishes UserCreated then UserUpdated twice with rising versions and distinct event ids', async () => {
    const client = userClient(service.address);
    const { user } = await client.createUser({ email: `${uniqueName('events')}@example.com`, displayName: 'Grace' });
    await client.updateUser({ user: { id: user!.id, displayName: 'Grace Hopper' }, updateMask: create(FieldMaskSchema, { paths: ['display_name'] }) });
    await client.updateUser({ user: { id: user!.id, address: { line1: 'Navy Yard' } }, updateMask: create(FieldMaskSchema, { paths: ['address'] }) });

    const [created, renamed, moved] = await readStream(bus, 3);
    expect(created!.subject).toBe(eventSubject(bus, 'users', UserCreatedSchema));
    expect(created!.headers?.get(eventTypeHeader)).toBe(UserCreatedSchema.typeName);
    const createdEvent = fromBinary(UserCreatedSchema, created!.data);
    expect(createdEvent).toMatchObject({ userId: user!.id, version: 1n, user: { displayName: 'Grace' } });

    const updates = [renamed!, moved!].map((message) => {
      expect(message.subject).toBe(eventSubject(bus, 'users', UserUpdatedSchema));
      return fromBinary(UserUpdatedSchema, message.data);
    });
    expect(updates[0]).toMatchObject({ userId: user!.id, version: 2n, changedFields: ['display_name'], user: { displayName: 'Grace Hopper' } });
    expect(updates[1]).toMatchObject({ userId: user!.id, version: 3n, changedFields: ['address'], user: { address: { line1: 'Navy Yard' } } });
    const ids = [createdEvent.eventId, ...updates.map((event) => event.eventId)];
    expect(new Set(ids).size).toBe(3);
    expect([created, renamed, moved].map((message) => message!.headers?.get('Nats-Msg-Id'))).toEqual(ids);
  });

  it('prunes published outbox events past their retention and keeps the unpublished ones', async () => {
    const pool = new pg.Pool({ connectionString: env.config.databaseUrl });
    try {
      const published = async () => Number((await pool.query('SELECT count(*) FROM outbox WHERE published_at IS NOT NULL')).rows[0].count);
      await eventually(async () => (await published()) >= 3, { description: 'three published outbox events' });
      await service.shutdown();
      await pool.query("INSERT INTO outbox (id, subject, type, payload) VALUES (gen_random_uuid(), 'never.published', 'test', '')");
      const store = pgOutboxStore(pool);
      expect(await store.prunePublished!(60_000)).toBe(0);
      expect(await store.prunePublished!(0)).toBeGreaterThanOrEqual(3);
      expect(await published()).toBe(0);
      expect(Number((await pool.query("SELECT count(*) FROM outbox WHERE subject = 'never.published'")).rows[0].count)).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
