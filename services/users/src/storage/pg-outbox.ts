import type { Pool, PoolClient } from 'pg';
import type { OutboxEvent, OutboxStore } from '@shop/runtime';
import type { PendingEvent } from '../domain/user-repository.js';

/** Records an event in the outbox on the connection of the transaction that makes the change. */
export async function appendToOutbox(client: PoolClient, event: PendingEvent): Promise<void> {
  await client.query('INSERT INTO outbox (event_id, subject, type, payload) VALUES ($1, $2, $3, $4)', [event.id, event.subject, event.type, Buffer.from(event.payload)]);
}

/** The outbox table as the relay's store: oldest unpublished first. */
export function pgOutboxStore(pool: Pool): OutboxStore {
  return {
    unpublished: async (limit: number): Promise<OutboxEvent[]> => {
      const { rows } = await pool.query<{ event_id: string; subject: string; type: string; payload: Buffer }>(
        'SELECT event_id, subject, type, payload FROM outbox WHERE published_at IS NULL ORDER BY position LIMIT $1',
        [limit],
      );
      return rows.map((row) => ({ id: row.event_id, subject: row.subject, type: row.type, payload: new Uint8Array(row.payload) }));
    },
    markPublished: async (ids: readonly string[]): Promise<void> => {
      await pool.query('UPDATE outbox SET published_at = now() WHERE event_id = ANY($1::uuid[])', [ids]);
    },
    prunePublished: async (olderThanMs: number): Promise<number> => {
      const { rowCount } = await pool.query("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)", [olderThanMs / 1000]);
      return rowCount ?? 0;
    },
  };
}
