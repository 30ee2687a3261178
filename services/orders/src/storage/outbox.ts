import { randomUUID } from 'node:crypto';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { eventSubject, type EventBus, type OutboxEvent, type OutboxStore } from '@shop/runtime';
import type pg from 'pg';

/** Writes the service's events into the outbox table, inside the caller's transaction. */
export class OutboxWriter {
  constructor(private readonly bus: Pick<EventBus, 'namespace'>) {}

  /** Appends one event; its event id is set to a fresh UUID. */
  async append<D extends DescMessage>(client: pg.ClientBase, schema: D, init: MessageInitShape<D>): Promise<void> {
    const id = randomUUID();
    const message = Object.assign(create(schema, init), { eventId: id });
    await client.query('INSERT INTO outbox (id, subject, type, payload) VALUES ($1, $2, $3, $4)', [
      id,
      eventSubject(this.bus, 'orders', schema),
      schema.typeName,
      Buffer.from(toBinary(schema, message)),
    ]);
  }
}

/** The relay's view of the outbox table, on the primary. */
export function pgOutboxStore(pool: pg.Pool): OutboxStore {
  return {
    unpublished: async (limit: number): Promise<OutboxEvent[]> => {
      const { rows } = await pool.query<{ id: string; subject: string; type: string; payload: Buffer }>(
        'SELECT id, subject, type, payload FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
        [limit],
      );
      return rows.map((row) => ({ id: row.id, subject: row.subject, type: row.type, payload: new Uint8Array(row.payload) }));
    },
    markPublished: async (ids: readonly string[]): Promise<void> => {
      await pool.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [ids]);
    },
    prunePublished: async (olderThanMs: number): Promise<number> => {
      const { rowCount } = await pool.query("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)", [olderThanMs / 1000]);
      return rowCount ?? 0;
    },
  };
}
