import type pg from 'pg';

/** Which address columns the applied schema has: V1 the single line only, V2 both, V3 the three lines only. */
export interface SchemaFeatures {
  readonly singleLineAddress: boolean;
  readonly addressLines: boolean;
}

/** Reads the orders table's address columns from the catalog. */
export async function readSchemaFeatures(pool: pg.Pool): Promise<SchemaFeatures> {
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'orders' AND column_name LIKE 'shipping_address%'`,
  );
  const columns = new Set(rows.map((row) => row.column_name));
  return { singleLineAddress: columns.has('shipping_address'), addressLines: columns.has('shipping_address_line1') };
}
