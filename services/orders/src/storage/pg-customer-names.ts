import type { Queryable } from '@shop/postgres';
import type { CustomerName, CustomerNameCopies } from '../domain/ports.js';

/** Stores the name unless a newer (or the same) version is already stored; returns whether it changed anything. */
export async function upsertCustomerName(db: Queryable, name: CustomerName): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO customer_names (customer_id, display_name, version) VALUES ($1, $2, $3)
     ON CONFLICT (customer_id) DO UPDATE SET display_name = EXCLUDED.display_name, version = EXCLUDED.version
     WHERE customer_names.version < EXCLUDED.version`,
    [name.customerId, name.displayName, name.version.toString()],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The customer_names table behind the CustomerNameCopies port. */
export function pgCustomerNames(db: Queryable): CustomerNameCopies {
  return { keepNewest: (name) => upsertCustomerName(db, name) };
}
