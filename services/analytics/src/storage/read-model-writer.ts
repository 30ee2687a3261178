import type { ReadModelWriter } from '../domain/ports.js';
import type { ReadModelFact } from '../domain/read-model-events.js';
import { inTransaction, timestampValue, type AnalyticsDatabase } from './duckdb.js';
import { RowSet } from './row-set.js';

/** The read model's tables with their column types, in the order a batch fills them. */
function readModelTables() {
  return {
    orders: new RowSet('orders', ['VARCHAR', 'VARCHAR', 'TIMESTAMP', 'BIGINT', 'VARCHAR'], 1),
    orderLines: new RowSet('order_lines', ['VARCHAR', 'INTEGER', 'VARCHAR', 'INTEGER'], 2),
    orderStatuses: new RowSet('order_statuses', ['VARCHAR', 'BIGINT', 'VARCHAR', 'TIMESTAMP'], 2),
    productVersions: new RowSet('product_versions', ['VARCHAR', 'BIGINT', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR', 'VARCHAR', 'BIGINT', 'VARCHAR'], 2),
    userVersions: new RowSet('user_versions', ['VARCHAR', 'BIGINT', 'TIMESTAMP', 'VARCHAR', 'TIMESTAMP'], 2),
  };
}

/**
 * Writes facts into the DuckDB read model: each event id once, each entity version once (append-only), a batch of
 * facts in one transaction with one statement per table.
 */
export class DuckDbReadModelWriter implements ReadModelWriter {
  constructor(private readonly database: AnalyticsDatabase) {}

  /** Applies the facts whose event ids are new, recording those ids in the same transaction; answers how many. */
  apply(facts: readonly ReadModelFact[]): Promise<number> {
    if (facts.length === 0) return Promise.resolve(0);
    return this.database.serialized((connection) =>
      inTransaction(connection, async () => {
        const processed = new RowSet('processed_events (event_id, kind)', ['VARCHAR', 'VARCHAR'], 1);
        for (const fact of facts) processed.add([fact.eventId, fact.kind]);
        const recorded = new Set((await processed.insert(connection, 'event_id')).map((row) => String(row.event_id)));
        const tables = readModelTables();
        const fresh = facts.filter((fact) => recorded.delete(fact.eventId));
        for (const fact of fresh) addFact(tables, fact);
        for (const table of Object.values(tables)) await table.insert(connection);
        return fresh.length;
      }),
    );
  }

  /** Whether no event was applied yet. */
  async isEmpty(): Promise<boolean> {
    const rows = await this.database.query('SELECT count(*) AS n FROM processed_events');
    return rows[0]?.n === 0n;
  }
}

function addFact(tables: ReturnType<typeof readModelTables>, fact: ReadModelFact): void {
  const at = timestampValue(fact.occurredAt);
  switch (fact.kind) {
    case 'order-placed':
      tables.orders.add([fact.orderId, fact.customerId, at, fact.total?.amountMinor ?? null, fact.total?.currencyCode ?? null]);
      fact.items.forEach((item, index) => tables.orderLines.add([fact.orderId, index, item.productId, item.quantity]));
      tables.orderStatuses.add([fact.orderId, fact.version, 'PENDING', at]);
      return;
    case 'order-status':
      if (fact.version === 1n) tables.orders.add([fact.orderId, fact.customerId, at, null, null]);
      tables.orderStatuses.add([fact.orderId, fact.version, fact.status, at]);
      return;
    case 'product':
      tables.productVersions.add([
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
      tables.userVersions.add([fact.userId, fact.version, at, fact.displayName, fact.signedUpAt ? timestampValue(fact.signedUpAt) : null]);
  }
}
