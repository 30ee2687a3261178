import type { Queryable } from '@shop/postgres';

/**
 * What the applied schema has: the address columns (V1 the single line only, V2 both, V3 on the three lines only)
 * and, from V4, the outbox's trace-context column.
 */
export interface SchemaFeatures {
  readonly singleLineAddress: boolean;
  readonly addressLines: boolean;
  readonly outboxTraceContext: boolean;
}

/** Reads the orders and outbox tables' columns from the catalog. */
export async function readSchemaFeatures(db: Queryable): Promise<SchemaFeatures> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name IN ('orders', 'outbox')`,
  );
  const columns = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  return {
    singleLineAddress: columns.has('orders.shipping_address'),
    addressLines: columns.has('orders.shipping_address_line1'),
    outboxTraceContext: columns.has('outbox.trace_context'),
  };
}
