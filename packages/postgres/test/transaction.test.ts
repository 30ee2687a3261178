import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inTransaction, inTransactionWithCommitLsn } from '../src/index.js';
import { testDatabase } from './database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  db = await testDatabase();
  await db.pool.query('CREATE TABLE counters (name text PRIMARY KEY, value integer NOT NULL)');
});
afterAll(async () => {
  await db?.close();
});

const lsnValue = (lsn: string) => {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};

describe('transactions', () => {
  it('commit the work and answer its result', async () => {
    const result = await inTransaction(db.pool, async (client) => {
      await client.query("INSERT INTO counters VALUES ('a', 1)");
      return 'done';
    });
    expect(result).toBe('done');
    expect((await db.pool.query("SELECT value FROM counters WHERE name = 'a'")).rows).toEqual([{ value: 1 }]);
  });

  it('roll everything back when the work fails, and give the connection back to the pool', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await expect(
        inTransaction(db.pool, async (client) => {
          await client.query("INSERT INTO counters VALUES ('b', 1)");
          await client.query("INSERT INTO counters VALUES ('b', 2)");
        }),
      ).rejects.toMatchObject({ code: '23505' });
    }
    expect((await db.pool.query("SELECT value FROM counters WHERE name = 'b'")).rows).toEqual([]);
    expect(db.pool.totalCount).toBeLessThanOrEqual(6);
    expect(db.pool.idleCount).toBe(db.pool.totalCount);
  });

  it('report a commit position that the database has reached and that grows with each commit', async () => {
    const first = await inTransactionWithCommitLsn(db.pool, (client) => client.query("INSERT INTO counters VALUES ('c', 1)"));
    const second = await inTransactionWithCommitLsn(db.pool, (client) => client.query("UPDATE counters SET value = 2 WHERE name = 'c'"));
    expect(first.result.rowCount).toBe(1);
    expect(first.commitLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(lsnValue(second.commitLsn)).toBeGreaterThan(lsnValue(first.commitLsn));
    const { rows } = await db.pool.query<{ reached: boolean }>('SELECT pg_current_wal_insert_lsn() >= $1::pg_lsn AS reached', [second.commitLsn]);
    expect(rows[0]).toEqual({ reached: true });
  });
});
