import type pg from 'pg';

/** A customer's display name at a version of the user. */
export interface CustomerName {
  readonly customerId: string;
  readonly displayName: string;
  readonly version: bigint;
}

/** Stores the name unless a newer (or the same) version is already stored; returns whether it changed anything. */
export async function upsertCustomerName(db: pg.Pool | pg.ClientBase, name: CustomerName): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO customer_names (customer_id, display_name, version) VALUES ($1, $2, $3)
     ON CONFLICT (customer_id) DO UPDATE SET display_name = EXCLUDED.display_name, version = EXCLUDED.version
     WHERE customer_names.version < EXCLUDED.version`,
    [name.customerId, name.displayName, name.version.toString()],
  );
  return (result.rowCount ?? 0) > 0;
}
