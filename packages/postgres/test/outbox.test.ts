import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { appendToOutbox, inTransaction, outboxColumns, pgOutboxStore, readOutboxColumns, type PgOutboxEvent } from '../src/index.js';
import { outboxTableSql, testDatabase } from './database.js';

let db: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  db = await testDatabase();
  await db.pool.query(outboxTableSql);
});
afterAll(async () => {
  await db?.close();
});

function event(extra: Partial<PgOutboxEvent> = {}): PgOutboxEvent {
  return { id: randomUUID(), subject: 'events.test.Happened', type: 'shop.test.v1.Happened', payload: new Uint8Array([1, 2, 3]), ...extra };
}

describe('the outbox store', () => {
  it('has the one table shape', async () => {
    expect(await readOutboxColumns(db.pool)).toEqual(outboxColumns.map((column) => ({ ...column })));
  });

  it('hands the relay unpublished events oldest first, with their trace context when one was recorded', async () => {
    const traced = event({ traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    const plain = event();
    await inTransaction(db.pool, async (client) => {
      await appendToOutbox(client, traced);
      await appendToOutbox(client, plain);
    });
    const store = pgOutboxStore(db.pool);
    expect(await store.unpublished(10)).toEqual([traced, plain].map((event) => ({ ...event, recordedAt: expect.any(Date) })));
    await store.markPublished([traced.id]);
    expect(await store.unpublished(10)).toEqual([{ ...plain, recordedAt: expect.any(Date) }]);
  });

  it('records nothing when the transaction making the change rolls back', async () => {
    const lost = event();
    await expect(
      inTransaction(db.pool, async (client) => {
        await appendToOutbox(client, lost);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const { rows } = await db.pool.query('SELECT 1 FROM outbox WHERE id = $1', [lost.id]);
    expect(rows).toEqual([]);
  });

  it('prunes published events past their retention and keeps the unpublished ones', async () => {
    const store = pgOutboxStore(db.pool);
    const pending = event();
    await appendToOutbox(db.pool, pending);
    const published = (await store.unpublished(100)).filter((each) => each.id !== pending.id);
    await store.markPublished(published.map((each) => each.id));
    expect(await store.prunePublished!(60_000)).toBe(0);
    expect(await store.prunePublished!(0)).toBeGreaterThanOrEqual(1);
    expect((await store.unpublished(100)).map((each) => each.id)).toEqual([pending.id]);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NOT NULL');
    expect(rows[0]).toEqual({ n: 0 });
  });
});
