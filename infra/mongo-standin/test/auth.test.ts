import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Binary, MongoClient, MongoServerError, type Document, type MongoClientOptions } from 'mongodb';
import { startMongoStandin, type MongoStandin, type UserSpec } from '../src/index.js';
import { failureOf, temporaryDataDir, uniqueDbName, usesExternalServer } from './harness.js';

// These tests configure users on a stand-in they start themselves, so they are skipped against MONGO_TEST_URL.
const describeOwnServer = usesExternalServer ? describe.skip : describe;

const ownDb = uniqueDbName('auth_own');
const otherDb = uniqueDbName('auth_other');
const users: UserSpec[] = [
  { username: 'shop_app', password: 'pässword with spaces', databases: [ownDb] },
  { username: 'local_app', password: 'local-secret', authDb: ownDb, databases: [ownDb] },
  { username: 'root', password: 'root-secret', databases: ['*'] },
  { username: 'writer', password: 'writer-secret', roles: [{ role: 'readWrite', db: ownDb }] },
  { username: 'migrator', password: 'migrator-secret', roles: [{ role: 'readWrite', db: ownDb }, { role: 'dbAdmin', db: ownDb }] },
  { username: 'reader', password: 'reader-secret', roles: [{ role: 'read', db: ownDb }] },
  { username: 'schema_admin', password: 'schema-secret', roles: [{ role: 'dbAdmin', db: ownDb }] },
  { username: 'owner', password: 'owner-secret', roles: [{ role: 'dbOwner', db: ownDb }] },
  { username: 'auditor', password: 'auditor-secret', roles: [{ role: 'readAnyDatabase', db: 'admin' }] },
];

/** The client side of SCRAM-SHA-256 for an ASCII password, written out to drive saslStart/saslContinue by hand. */
function scramClientFinal(password: string, clientFirstBare: string, serverFirst: string): { clientFinal: string; serverSignature: string } {
  const fields = Object.fromEntries(serverFirst.split(',').map((part) => [part[0], part.slice(2)]));
  const saltedPassword = pbkdf2Sync(password, Buffer.from(fields.s as string, 'base64'), Number(fields.i), 32, 'sha256');
  const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
  const clientKey = hmac(saltedPassword, 'Client Key');
  const withoutProof = `c=biws,r=${fields.r as string}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const clientSignature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
  const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (clientSignature[index] as number))).toString('base64');
  return { clientFinal: `${withoutProof},p=${proof}`, serverSignature: `v=${hmac(hmac(saltedPassword, 'Server Key'), authMessage).toString('base64')}` };
}

const textOf = (payload: unknown): string => Buffer.from((payload as Binary).buffer).toString('utf8');

describeOwnServer('authentication (SCRAM-SHA-256) and per-database authorization', () => {
  let standin: MongoStandin;
  let dataDir: string;
  const clients: MongoClient[] = [];

  async function connect(credentials: string, path = `${ownDb}?authSource=admin`, options: MongoClientOptions = {}): Promise<MongoClient> {
    const url = `mongodb://${credentials}127.0.0.1:${standin.port}/${path}`;
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, ...options });
    clients.push(client);
    return client.connect();
  }

  const login = (username: string, password: string): string => `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    standin = await startMongoStandin({ port: 0, dataDir, users, log: () => undefined });
    const root = await connect(login('root', 'root-secret'));
    await root.db(otherDb).collection('c').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[]);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await standin.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a user with the right password read and write its own database', async () => {
    const client = await connect(login('shop_app', 'pässword with spaces'));
    const items = client.db(ownDb).collection<{ _id: number; n: number }>('items');
    await items.insertOne({ _id: 1, n: 1 });
    await items.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    await items.createIndex({ n: 1 });
    expect(await items.find().toArray()).toEqual([{ _id: 1, n: 2 }]);
    expect(await items.aggregate([{ $count: 'total' }]).toArray()).toEqual([{ total: 1 }]);
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'shop_app', db: 'admin' }]);
  });

  it('runs the user transactions on its own database', async () => {
    const client = await connect(login('shop_app', 'pässword with spaces'));
    const ledger = client.db(ownDb).collection<{ _id: string; balance: number }>('ledger');
    await ledger.insertOne({ _id: 'a', balance: 10 });
    await client.withSession((session) => session.withTransaction(() => ledger.updateOne({ _id: 'a' }, { $inc: { balance: -3 } }, { session })));
    expect(await ledger.findOne({ _id: 'a' })).toEqual({ _id: 'a', balance: 7 });
  });

  it('authenticates a user against its own authentication database (authSource)', async () => {
    const client = await connect(login('local_app', 'local-secret'), ownDb);
    expect(await client.db(ownDb).collection('items').countDocuments()).toBe(1);
    const failure = await failureOf(connect(login('local_app', 'local-secret'), `${ownDb}?authSource=admin`));
    expect(failure).toMatchObject({ code: 18, codeName: 'AuthenticationFailed' });
  });

  it('refuses a wrong password or an unknown user with AuthenticationFailed (18)', async () => {
    for (const credentials of [login('shop_app', 'wrong'), login('nobody', 'root-secret')]) {
      const failure = await failureOf(connect(credentials));
      expect(failure).toBeInstanceOf(MongoServerError);
      expect(failure).toMatchObject({ code: 18, codeName: 'AuthenticationFailed', errmsg: 'Authentication failed.' });
    }
  });

  it('answers the handshake without credentials but refuses other commands with Unauthorized (13)', async () => {
    const client = await connect('', ownDb);
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    expect((await client.db('admin').command({ hello: 1 })).isWritablePrimary).toBe(true);
    const failure = await failureOf(client.db(ownDb).collection('items').findOne());
    expect(failure).toMatchObject({ code: 13, codeName: 'Unauthorized', errmsg: 'Command find requires authentication' });
    expect(await failureOf(client.db('admin').admin().listDatabases())).toMatchObject({ code: 13 });
  });

  it('refuses the user on another database (find, insert, aggregate, createIndexes, drop)', async () => {
    const other = (await connect(login('shop_app', 'pässword with spaces'))).db(otherDb).collection('c');
    const attempts: Record<string, () => Promise<unknown>> = {
      find: () => other.findOne(),
      insert: () => other.insertOne({ _id: 9 } as never),
      aggregate: () => other.aggregate([]).toArray(),
      createIndexes: () => other.createIndex({ a: 1 }),
      drop: () => other.drop(),
    };
    for (const [command, attempt] of Object.entries(attempts)) {
      const failure = (await failureOf(attempt())) as MongoServerError;
      expect(failure).toMatchObject({ code: 13, codeName: 'Unauthorized' });
      expect(failure.errmsg.startsWith(`not authorized on ${otherDb} to execute command { ${command}: `)).toBe(true);
    }
  });

  it('refuses another database inside a transaction too', async () => {
    const client = await connect(login('shop_app', 'pässword with spaces'));
    const session = client.startSession();
    session.startTransaction();
    await client.db(ownDb).collection('items').findOne({}, { session });
    const failure = await failureOf(client.db(otherDb).collection('c').insertOne({ _id: 10 } as never, { session }));
    expect(failure).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
  });

  it("refuses a getMore on another database's cursor", async () => {
    const root = await connect(login('root', 'root-secret'));
    const opened = await root.db(otherDb).command({ find: 'c', batchSize: 1 });
    const cursorId = opened.cursor.id as unknown;
    const app = await connect(login('shop_app', 'pässword with spaces'));
    const fromOwnDb = await failureOf(app.db(ownDb).command({ getMore: cursorId, collection: 'c' }));
    expect(fromOwnDb).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    const fromOtherDb = await failureOf(app.db(otherDb).command({ getMore: cursorId, collection: 'c' }));
    expect(fromOtherDb).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    const next = await root.db(otherDb).command({ getMore: cursorId, collection: 'c' });
    expect(next.cursor.nextBatch).toEqual([{ _id: 2 }, { _id: 3 }]);
  });

  it('lists only the databases a user may use; a "*" user sees and reaches all of them', async () => {
    const app = await connect(login('shop_app', 'pässword with spaces'));
    const appNames = (await app.db('admin').admin().listDatabases()).databases.map((entry) => entry.name);
    expect(appNames).toEqual([ownDb]);
    const root = await connect(login('root', 'root-secret'));
    const rootNames = (await root.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((entry) => entry.name);
    expect(rootNames).toEqual(expect.arrayContaining([ownDb, otherDb]));
    expect(await root.db(ownDb).collection('items').countDocuments()).toBe(1);
    expect(await root.db(otherDb).collection('c').countDocuments()).toBe(3);
  });

  it('authenticates through explicit saslStart/saslContinue with the extra empty round', async () => {
    const client = await connect('', ownDb, { maxPoolSize: 1 });
    const admin = client.db('admin');
    const hello = await admin.command({ hello: 1, saslSupportedMechs: 'admin.root' });
    expect(hello.saslSupportedMechs).toEqual(['SCRAM-SHA-256']);
    const clientFirstBare = `n=root,r=${randomBytes(24).toString('base64')}`;
    const started = await admin.command({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: new Binary(Buffer.from(`n,,${clientFirstBare}`)) });
    expect(started.done).toBe(false);
    const serverFirst = textOf(started.payload);
    expect(serverFirst).toMatch(/^r=.+,s=.+,i=\d+$/);
    const { clientFinal, serverSignature } = scramClientFinal('root-secret', clientFirstBare, serverFirst);
    const proven: Document = await admin.command({ saslContinue: 1, conversationId: started.conversationId, payload: new Binary(Buffer.from(clientFinal)) });
    expect({ done: proven.done, payload: textOf(proven.payload) }).toEqual({ done: false, payload: serverSignature });
    expect(await failureOf(client.db(otherDb).collection('c').countDocuments())).toMatchObject({ code: 13 });
    const finished = await admin.command({ saslContinue: 1, conversationId: started.conversationId, payload: new Binary(Buffer.alloc(0)) });
    expect(finished.done).toBe(true);
    expect(await client.db(otherDb).collection('c').countDocuments()).toBe(3);
  });

  it('forgets the user after logout on that connection', async () => {
    const client = await connect(login('shop_app', 'pässword with spaces'), `${ownDb}?authSource=admin`, { maxPoolSize: 1 });
    expect(await client.db(ownDb).collection('items').countDocuments()).toBe(1);
    await client.db('admin').command({ logout: 1 });
    const failure = await failureOf(client.db(ownDb).collection('items').countDocuments());
    expect(failure).toMatchObject({ code: 13, errmsg: 'Command aggregate requires authentication' });
  });
});

describeOwnServer('command-level authorization by built-in roles', () => {
  let standin: MongoStandin;
  let dataDir: string;
  const clients: MongoClient[] = [];
  const roleDb = uniqueDbName('roles');
  const roleUsers: UserSpec[] = users.map((user) => ({ ...user, roles: user.roles?.map((grant) => (typeof grant === 'string' ? grant : { ...grant, db: grant.db === ownDb ? roleDb : grant.db })) }));

  async function as(username: string): Promise<MongoClient> {
    const user = roleUsers.find((entry) => entry.username === username) as UserSpec;
    const client = new MongoClient(`mongodb://${username}:${user.password}@127.0.0.1:${standin.port}/${roleDb}?authSource=admin`, { serverSelectionTimeoutMS: 5000 });
    clients.push(client);
    return client.connect();
  }

  async function refusal(attempt: Promise<unknown>): Promise<MongoServerError> {
    const failure = (await failureOf(attempt)) as MongoServerError;
    expect(failure).toBeInstanceOf(MongoServerError);
    return failure;
  }

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    standin = await startMongoStandin({ port: 0, dataDir, users: roleUsers, log: () => undefined });
    const db = (await as('owner')).db(roleDb);
    await db.createCollection('items', { validator: { n: { $type: 'number' } } });
    await db.collection('items').insertOne({ _id: 1, n: 1 } as never);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await standin.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses collMod to readWrite alone with Unauthorized (13), as a real server does', async () => {
    const db = (await as('writer')).db(roleDb);
    const failure = await refusal(db.command({ collMod: 'items', validator: { n: { $type: 'int' } } }));
    expect(failure).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    expect(failure.errmsg.startsWith(`not authorized on ${roleDb} to execute command { collMod: "items", `)).toBe(true);
    expect(await db.collection('items').createIndex({ n: 1 })).toBe('n_1');
    expect(await db.collection('items').dropIndex('n_1')).toBeDefined();
    expect(await refusal(db.dropDatabase())).toMatchObject({ code: 13 });
    expect(await refusal(db.collection('items').insertOne({ _id: 2, n: 'x' } as never, { bypassDocumentValidation: true }))).toMatchObject({ code: 13 });
  });

  it('lets readWrite plus dbAdmin run collMod (what the products migrations need)', async () => {
    const db = (await as('migrator')).db(roleDb);
    expect((await db.command({ collMod: 'items', validator: { n: { $type: 'number' } } })).ok).toBe(1);
    await db.collection('items').updateOne({ _id: 1 } as never, { $inc: { n: 1 } });
  });

  it('lets read only read: find, count, aggregate and listIndexes, but not insert, update, delete or createIndex', async () => {
    const items = (await as('reader')).db(roleDb).collection<{ _id: number; n: number }>('items');
    expect(await items.countDocuments()).toBe(1);
    expect(await items.aggregate([{ $match: {} }]).toArray()).toHaveLength(1);
    expect((await items.listIndexes().toArray()).map((index) => index.name)).toContain('_id_');
    for (const attempt of [items.insertOne({ _id: 3, n: 3 }), items.updateOne({ _id: 1 }, { $set: { n: 5 } }), items.deleteOne({ _id: 1 }), items.createIndex({ n: 1 }), items.findOneAndUpdate({ _id: 1 }, { $set: { n: 0 } })]) {
      expect(await refusal(attempt)).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    }
    expect(await refusal(items.aggregate([{ $out: 'copy' }]).toArray())).toMatchObject({ code: 13 });
  });

  it('lets dbAdmin change schema and indexes but not read or write documents', async () => {
    const db = (await as('schema_admin')).db(roleDb);
    expect(await db.collection('items').createIndex({ n: -1 })).toBe('n_-1');
    expect((await db.command({ collMod: 'items', validationLevel: 'moderate' })).ok).toBe(1);
    expect(await refusal(db.collection('items').findOne())).toMatchObject({ code: 13 });
    expect(await refusal(db.collection('items').insertOne({ _id: 4, n: 4 } as never))).toMatchObject({ code: 13 });
  });

  it('lets readAnyDatabase read every database but write none', async () => {
    const client = await as('auditor');
    expect(await client.db(roleDb).collection('items').countDocuments()).toBe(1);
    expect(await refusal(client.db(roleDb).collection('items').insertOne({ _id: 5 } as never))).toMatchObject({ code: 13 });
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUserRoles).toEqual([{ role: 'readAnyDatabase', db: 'admin' }]);
  });

  it('refuses an unknown role when the users are configured', async () => {
    const users = [{ username: 'x', password: 'y', roles: [{ role: 'readWriteEverything', db: 'admin' }] }];
    await expect(startMongoStandin({ port: 0, dataDir, users, log: () => undefined })).rejects.toThrow(/no such role readWriteEverything@admin/);
  });
});

describeOwnServer('without configured users', () => {
  it('stays open to clients without credentials', async () => {
    const dataDir = temporaryDataDir();
    const standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    const client = await new MongoClient(standin.url, { serverSelectionTimeoutMS: 5000 }).connect();
    try {
      const db = client.db(uniqueDbName('auth_open'));
      await db.collection('c').insertOne({ a: 1 });
      expect(await db.collection('c').countDocuments()).toBe(1);
      expect((await client.db('admin').admin().listDatabases()).databases.map((entry) => entry.name)).toContain(db.databaseName);
    } finally {
      await client.close();
      await standin.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
