import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReadModelWriter } from '../domain/ports.js';
import type { ReadModelFact } from '../domain/read-model-events.js';
import { inTransaction, timestampValue, type AnalyticsDatabase } from './duckdb.js';

/** Writes facts into the DuckDB read model: each event id once, each entity version once (append-only). */
export class DuckDbReadModelWriter implements ReadModelWriter {
  constructor(private readonly database: AnalyticsDatabase) {}

  /** Applies the fact and records its event id in the same transaction. */
  apply(fact: ReadModelFact): Promise<boolean> {
    return this.database.serialized((connection) =>
      inTransaction(connection, async () => {
        const seen = await connection.runAndReadAll('SELECT 1 FROM processed_events WHERE event_id = $1', [fact.eventId]);
        if (seen.currentRowCount > 0) return false;
        await writeFact(connection, fact);
        await connection.run('INSERT INTO processed_events (event_id, kind) VALUES ($1, $2)', [fact.eventId, fact.kind]);
        return true;
      }),
    );
  }

  /** Whether no event was applied yet. */
  async isEmpty(): Promise<boolean> {
    const rows = await this.database.query('SELECT count(*) AS n FROM processed_events');
    return rows[0]?.n === 0n;
  }
}

async function writeFact(connection: DuckDBConnection, fact: ReadModelFact): Promise<void> {
  const at = timestampValue(fact.occurredAt);
  switch (fact.kind) {
    case 'order-placed': {
      await connection.run(
        'INSERT INTO orders VALUES ($1, $2, CAST($3 AS TIMESTAMP), $4, $5) ON CONFLICT DO NOTHING',
        [fact.orderId, fact.customerId, at, fact.total?.amountMinor ?? null, fact.total?.currencyCode ?? null],
      );
      for (const [index, item] of fact.items.entries()) {
        await connection.run('INSERT INTO order_lines VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [fact.orderId, index, item.productId, item.quantity]);
      }
      await insertStatus(connection, fact.orderId, fact.version, 'PENDING', at);
      return;
    }
    case 'order-status':
      if (fact.version === 1n) {
        await connection.run('INSERT INTO orders VALUES ($1, $2, CAST($3 AS TIMESTAMP), NULL, NULL) ON CONFLICT DO NOTHING', [fact.orderId, fact.customerId, at]);
      }
      await insertStatus(connection, fact.orderId, fact.version, fact.status, at);
      return;
    case 'product':
      await connection.run('INSERT INTO product_versions VALUES ($1, $2, CAST($3 AS TIMESTAMP), $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING', [
        fact.productId,
        fact.version,
        at,
        !fact.snapshot,
        fact.snapshot?.name ?? '',
        fact.snapshot?.categoryId ?? '',
        fact.snapshot?.price?.amountMinor ?? null,
        fact.snapshot?.price?.currencyCode ?? null,
      ]);
      return;
    case 'user':
      await connection.run('INSERT INTO user_versions VALUES ($1, $2, CAST($3 AS TIMESTAMP), $4, CAST($5 AS TIMESTAMP)) ON CONFLICT DO NOTHING', [
        fact.userId,
        fact.version,
        at,
        fact.displayName,
        fact.signedUpAt ? timestampValue(fact.signedUpAt) : null,
      ]);
  }
}

function insertStatus(connection: DuckDBConnection, orderId: string, version: bigint, status: string, at: string) {
  return connection.run('INSERT INTO order_statuses VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP)) ON CONFLICT DO NOTHING', [orderId, version, status, at]);
}
