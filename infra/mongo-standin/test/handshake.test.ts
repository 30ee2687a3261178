import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { MongoServerError } from 'mongodb';
import { openTestServer, itWithOwnServer, uniqueDbName, type TestServer } from './harness.js';

describe('handshake and server commands', () => {
  let server: TestServer;
  const dbName = uniqueDbName('handshake');

  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.client.db(dbName).dropDatabase();
    await server.stop();
  });

  it('describes a writable replica-set primary with sessions in hello', async () => {
    const reply = await server.db('admin').command({ hello: 1 });
    expect(reply.ok).toBe(1);
    expect(reply.isWritablePrimary).toBe(true);
    expect(typeof reply.setName).toBe('string');
    expect(reply.hosts).toContain(reply.primary);
    expect(reply.logicalSessionTimeoutMinutes).toBe(30);
    expect(reply.maxWireVersion).toBeGreaterThanOrEqual(21);
  });

  it('answers isMaster and the legacy lowercase ismaster with ismaster: true', async () => {
    for (const name of ['isMaster', 'ismaster']) {
      const reply = await server.db('admin').command({ [name]: 1 });
      expect(reply.ismaster).toBe(true);
      expect(reply.setName).toBeDefined();
    }
  });

  itWithOwnServer('labels itself as a development/test stand-in in hello and buildInfo', async () => {
    expect((await server.db('admin').command({ hello: 1 })).standin).toMatch(/not MongoDB/);
    expect((await server.db('admin').command({ buildInfo: 1 })).standin).toMatch(/not MongoDB/);
  });

  it('answers ping and buildInfo with a version string', async () => {
    expect((await server.db('admin').command({ ping: 1 })).ok).toBe(1);
    const info = await server.db('admin').command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(Array.isArray(info.versionArray)).toBe(true);
  });

  it('rejects an unknown command with CommandNotFound (code 59)', async () => {
    const failure = await server.db(dbName).command({ frobnicateWidgets: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect(failure).toMatchObject({ code: 59, codeName: 'CommandNotFound', errmsg: "no such command: 'frobnicateWidgets'" });
  });

  it('lists a database once it holds a collection, and ends sessions', async () => {
    await server.db(dbName).collection('c').insertOne({ a: 1 });
    const { databases } = await server.db('admin').admin().listDatabases();
    expect(databases.map((entry) => entry.name)).toContain(dbName);
    const nameOnly = await server.db('admin').admin().listDatabases({ nameOnly: true });
    expect(nameOnly.databases.map((entry) => entry.name)).toContain(dbName);
    const session = server.client.startSession();
    await server.db(dbName).collection('c').findOne({}, { session });
    await session.endSession();
    expect((await server.db('admin').command({ endSessions: [session.id] })).ok).toBe(1);
  });
});
