import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { isPgConnectionFailure, pgStoreOutage } from '../src/index.js';
import { testDatabase } from './database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  return work().then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('recognising a PostgreSQL outage', () => {
  const classify = pgStoreOutage('postgres');

  it('names the store when the server refuses connections', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
    try {
      const error = await failureOf(() => pool.query('SELECT 1'));
      expect(classify(error)).toEqual({ store: 'postgres', reason: 'the database cannot be reached' });
    } finally {
      await pool.end();
    }
  });

  it('names the store when the server ends the session (57P01) and when the connection is then gone', async () => {
    const client = new pg.Client({ connectionString: db.database.url });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = new pg.Client({ connectionString: db.database.url });
    await admin.connect();
    try {
      const blocked = failureOf(() => client.query('SELECT pg_sleep(30)'));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      const terminated = await blocked;
      expect(isPgConnectionFailure(terminated)).toBe(true);
      expect(classify(await failureOf(() => client.query('SELECT 1')))).toMatchObject({ store: 'postgres' });
    } finally {
      await admin.end();
      await client.end().catch(() => undefined);
    }
  });

  it('leaves other errors alone: bad SQL, a constraint, a domain error', async () => {
    const syntax = await failureOf(() => db.pool.query('SELEC 1'));
    const division = await failureOf(() => db.pool.query('SELECT 1 / 0'));
    expect([classify(syntax), classify(division), classify(new Error('order not found')), classify(undefined)]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
