import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import type { Collection } from 'mongodb';
import { itWithOwnServer, openTestServer, uniqueDbName, type AnyDocument, type TestServer } from './harness.js';

describe('multi-document transactions', () => {
  let server: TestServer;
  let accounts: Collection<AnyDocument>;
  let ledger: Collection<AnyDocument>;
  const dbName = uniqueDbName('transactions');

  beforeAll(async () => {
    server = await openTestServer();
    accounts = server.db(dbName).collection('accounts');
    ledger = server.db(dbName).collection('ledger');
    await server.db(dbName).createCollection('accounts');
    await server.db(dbName).createCollection('ledger');
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });
  beforeEach(async () => {
    await accounts.deleteMany({});
    await ledger.deleteMany({});
    await accounts.insertMany([
      { _id: 'alice', balance: 100 },
      { _id: 'bob', balance: 0 },
    ]);
  });

  it('applies every write of a committed transaction', async () => {
    const session = server.client.startSession();
    try {
      await session.withTransaction(async () => {
        await accounts.updateOne({ _id: 'alice' }, { $inc: { balance: -30 } }, { session });
        await accounts.updateOne({ _id: 'bob' }, { $inc: { balance: 30 } }, { session });
        await ledger.insertOne({ from: 'alice', to: 'bob', amount: 30 }, { session });
      });
    } finally {
      await session.endSession();
    }
    expect(await accounts.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'alice', balance: 70 },
      { _id: 'bob', balance: 30 },
    ]);
    expect(await ledger.countDocuments()).toBe(1);
  });

  it('applies nothing of an aborted transaction, while its own reads saw its writes', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await accounts.updateOne({ _id: 'alice' }, { $inc: { balance: -50 } }, { session });
      await ledger.insertOne({ _id: 'tx1', amount: 50 }, { session });
      await accounts.deleteOne({ _id: 'bob' }, { session });
      expect(await accounts.findOne({ _id: 'alice' }, { session })).toEqual({ _id: 'alice', balance: 50 });
      expect(await ledger.findOne({ _id: 'tx1' }, { session })).toEqual({ _id: 'tx1', amount: 50 });
      expect(await accounts.countDocuments({}, { session })).toBe(1);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await accounts.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'alice', balance: 100 },
      { _id: 'bob', balance: 0 },
    ]);
    expect(await ledger.countDocuments()).toBe(0);
  });

  it('hides uncommitted writes from readers outside the transaction until commit', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await ledger.insertOne({ _id: 'pending' }, { session });
      expect(await ledger.findOne({ _id: 'pending' })).toBeNull();
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await ledger.findOne({ _id: 'pending' })).toEqual({ _id: 'pending' });
  });

  it('does not lose updates when concurrent transactions read-modify-write the same document', async () => {
    const transfers = Array.from({ length: 20 }, async () => {
      const session = server.client.startSession();
      try {
        await session.withTransaction(async () => {
          const current = await accounts.findOne({ _id: 'bob' }, { session });
          await accounts.updateOne({ _id: 'bob' }, { $set: { balance: (current?.balance as number) + 1 } }, { session });
          await ledger.insertOne({ to: 'bob', amount: 1 }, { session });
        });
      } finally {
        await session.endSession();
      }
    });
    await Promise.all(transfers);
    expect(await accounts.findOne({ _id: 'bob' })).toEqual({ _id: 'bob', balance: 20 });
    expect(await ledger.countDocuments()).toBe(20);
  });

  it('reports a write to a document another open transaction wrote as a WriteConflict (112) at that write, labelled TransientTransactionError', async () => {
    const first = server.client.startSession();
    const second = server.client.startSession();
    try {
      first.startTransaction();
      second.startTransaction();
      await accounts.updateOne({ _id: 'alice' }, { $inc: { balance: 1 } }, { session: first });
      const failure = await accounts.updateOne({ _id: 'alice' }, { $inc: { balance: 2 } }, { session: second }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 112, codeName: 'WriteConflict' });
      expect((failure as { hasErrorLabel(label: string): boolean }).hasErrorLabel('TransientTransactionError')).toBe(true);
      await first.commitTransaction();
      await second.abortTransaction().catch(() => undefined);
    } finally {
      await first.endSession();
      await second.endSession();
    }
    expect(await accounts.findOne({ _id: 'alice' })).toEqual({ _id: 'alice', balance: 101 });
  });

  it('reports a write to a document committed by others after the snapshot as a WriteConflict (112) at that write', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      expect(await accounts.findOne({ _id: 'alice' }, { session })).toEqual({ _id: 'alice', balance: 100 });
      await accounts.updateOne({ _id: 'alice' }, { $inc: { balance: 7 } });
      const failure = await accounts.updateOne({ _id: 'alice' }, { $inc: { balance: 1 } }, { session }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 112, codeName: 'WriteConflict' });
      expect((failure as { hasErrorLabel(label: string): boolean }).hasErrorLabel('TransientTransactionError')).toBe(true);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await accounts.findOne({ _id: 'alice' })).toEqual({ _id: 'alice', balance: 107 });
  });

  it('reads the snapshot taken at its first statement: later commits (update, insert, delete) stay invisible to it', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' } });
      expect(await accounts.countDocuments({}, { session })).toBe(2);
      await accounts.updateOne({ _id: 'alice' }, { $set: { balance: 1 } });
      await accounts.insertOne({ _id: 'carol', balance: 5 });
      await accounts.deleteOne({ _id: 'bob' });
      expect(await accounts.find({}, { session }).sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'alice', balance: 100 },
        { _id: 'bob', balance: 0 },
      ]);
      expect(await accounts.findOne({ _id: 'bob' }, { session })).toEqual({ _id: 'bob', balance: 0 });
      expect(await accounts.findOne({ _id: 'carol' }, { session })).toBeNull();
      expect(await accounts.find({ balance: { $gte: 50 } }, { session }).toArray()).toEqual([{ _id: 'alice', balance: 100 }]);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await accounts.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'alice', balance: 1 },
      { _id: 'carol', balance: 5 },
    ]);
  });

  it('honours readConcern snapshot on a read outside a transaction', async () => {
    const found = await server.db(dbName).command({ find: 'accounts', filter: { _id: 'alice' }, readConcern: { level: 'snapshot' } });
    expect(found.cursor.firstBatch).toEqual([{ _id: 'alice', balance: 100 }]);
  });

  it('answers ok again to a retried commit', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await ledger.insertOne({ _id: 'retried' }, { session });
      await session.commitTransaction();
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await ledger.countDocuments({ _id: 'retried' })).toBe(1);
  });

  it('answers NoSuchTransaction (251) to committing a transaction the server aborted after a failed statement', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await ledger.insertOne({ _id: 'before-failure' }, { session });
      expect(await accounts.insertOne({ _id: 'alice' }, { session }).catch((error: unknown) => error)).toMatchObject({ code: 11000 });
      const failure = await session.commitTransaction().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 251, codeName: 'NoSuchTransaction' });
    } finally {
      await session.endSession();
    }
    expect(await ledger.findOne({ _id: 'before-failure' })).toBeNull();
  });

  itWithOwnServer('lets an autocommit write win over a transaction that staged the same document, failing its commit', async () => {
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await accounts.updateOne({ _id: 'bob' }, { $inc: { balance: 5 } }, { session });
      await accounts.updateOne({ _id: 'bob' }, { $inc: { balance: 1 } });
      const failure = await session.commitTransaction().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 112 });
    } finally {
      await session.endSession();
    }
    expect(await accounts.findOne({ _id: 'bob' })).toEqual({ _id: 'bob', balance: 1 });
  });

  it('aborts the transaction when a statement fails with a duplicate key', async () => {
    const session = server.client.startSession();
    try {
      const failure = await session
        .withTransaction(async () => {
          await ledger.insertOne({ _id: 'once' }, { session });
          await accounts.insertOne({ _id: 'alice', balance: 1 }, { session });
        })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 11000 });
    } finally {
      await session.endSession();
    }
    expect(await ledger.findOne({ _id: 'once' })).toBeNull();
  });
});
