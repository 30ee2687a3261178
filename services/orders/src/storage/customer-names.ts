import type pg from 'pg';

/** A customer's display name at a version of the user. */
export interface CustomerName {
  readonly customerId: string;
  readonly displayName: string;
  readonly version: bigint;
}

/**
 * Stores the name unless a newer (or the same) version is already stored; returns the name stored afterwards, in one
 * statement (the fallback SELECT sees the row as it was before the statement, which is current when nothing changed).
 */
export async function upsertCustomerName(db: pg.Pool | pg.ClientBase, name: CustomerName): Promise<string | undefined> {
  const { rows } = await db.query<{ display_name: string | null }>(
    `WITH changed AS (
       INSERT INTO customer_names (customer_id, display_name, version) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id) DO UPDATE SET display_name = EXCLUDED.display_name, version = EXCLUDED.version
       WHERE customer_names.version < EXCLUDED.version
       RETURNING display_name
     )
     SELECT coalesce((SELECT display_name FROM changed), (SELECT display_name FROM customer_names WHERE customer_id = $1)) AS display_name`,
    [name.customerId, name.displayName, name.version.toString()],
  );
  return rows[0]?.display_name ?? undefined;
}

/** The stored display name of a customer, if any. */
export async function customerNameOf(db: pg.Pool | pg.ClientBase, customerId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ display_name: string }>('SELECT display_name FROM customer_names WHERE customer_id = $1', [customerId]);
  return rows[0]?.display_name;
}
