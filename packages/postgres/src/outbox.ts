import type { OutboxEvent, OutboxStore } from '@shop/runtime';
import type { Queryable } from './queryable.js';
import { activeTraceContext } from '@shop/runtime/tracing';

/** An outbox event as stored: the relay's event plus the W3C trace-context carrier of the change that wrote it. */
export interface PgOutboxEvent extends OutboxEvent {
  /** W3C trace-context carrier (traceparent, tracestate), when the write was traced. */
  readonly traceContext?: Record<string, string>;
}

/**
 * The one outbox table shape every PostgreSQL service has, as information_schema reports it (name, data type,
 * nullable), in column order; services' migrations create it and their tests compare against it.
 */
export const outboxColumns = [
  { name: 'seq', type: 'bigint', nullable: false },
  { name: 'id', type: 'uuid', nullable: false },
  { name: 'subject', type: 'text', nullable: false },
  { name: 'type', type: 'text', nullable: false },
  { name: 'payload', type: 'bytea', nullable: false },
  { name: 'created_at', type: 'timestamp with time zone', nullable: false },
  { name: 'published_at', type: 'timestamp with time zone', nullable: true },
  { name: 'trace_context', type: 'jsonb', nullable: true },
] as const;

/** Reads the outbox table's columns from the catalog, in the form of outboxColumns. */
export async function readOutboxColumns(db: Queryable): Promise<Array<{ name: string; type: string; nullable: boolean }>> {
  const { rows } = await db.query<{ column_name: string; data_type: string; is_nullable: string }>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'outbox' ORDER BY ordinal_position`,
  );
  return rows.map((row) => ({ name: row.column_name, type: row.data_type, nullable: row.is_nullable === 'YES' }));
}

/** Records an event in the outbox, with the trace context of the change, on the connection of the transaction that makes the change it describes. */
export async function appendToOutbox(client: Queryable, event: PgOutboxEvent): Promise<void> {
  const values = [event.id, event.subject, event.type, Buffer.from(event.payload)];
  const traceContext = event.traceContext ?? activeTraceContext();
  if (traceContext === undefined) {
    await client.query('INSERT INTO outbox (id, subject, type, payload) VALUES ($1, $2, $3, $4)', values);
    return;
  }
  await client.query('INSERT INTO outbox (id, subject, type, payload, trace_context) VALUES ($1, $2, $3, $4, $5)', [...values, JSON.stringify(traceContext)]);
}

interface OutboxRow {
  id: string;
  subject: string;
  type: string;
  payload: Buffer;
  created_at: Date;
  trace_context: Record<string, string> | null;
}

/** Options of pgOutboxStore. */
export interface PgOutboxStoreOptions {
  /** False on a schema still without the trace_context column (a service migrated to an older target). */
  readonly traceContextColumn?: boolean;
}

/** The outbox table as the relay's store: oldest unpublished first with their write time, marked once the bus acknowledged them, counted for the backlog gauge. */
export function pgOutboxStore(db: Queryable, options: PgOutboxStoreOptions = {}): OutboxStore & { unpublished(limit: number): Promise<PgOutboxEvent[]> } {
  const traceContext = options.traceContextColumn === false ? 'NULL::jsonb AS trace_context' : 'trace_context';
  return {
    unpublished: async (limit) => {
      const { rows } = await db.query<OutboxRow>(
        `SELECT id, subject, type, payload, created_at, ${traceContext} FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
        [limit],
      );
      return rows.map(toEvent);
    },
    markPublished: async (ids) => {
      await db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [ids]);
    },
    prunePublished: async (olderThanMs) => {
      const { rowCount } = await db.query('DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)', [olderThanMs / 1000]);
      return rowCount ?? 0;
    },
    countUnpublished: async () => {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      return rows[0]?.n ?? 0;
    },
  };
}

function toEvent(row: OutboxRow): PgOutboxEvent {
  const event = { id: row.id, subject: row.subject, type: row.type, payload: new Uint8Array(row.payload), recordedAt: row.created_at };
  return row.trace_context ? { ...event, traceContext: row.trace_context } : event;
}
