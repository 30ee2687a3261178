import { fileURLToPath } from 'node:url';
import { migrateDatabase, type ConnectionPool } from '@shop/postgres';

/** Where the service's versioned SQL migrations live. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Options of migrateOrdersDatabase. */
export interface MigrateOptions {
  /** "max" (default) or a version number to migrate to. */
  readonly target?: string;
  readonly directory?: string;
}

/** Applies the orders database's pending migrations up to the target (see migrateDatabase); returns the schema version. */
export async function migrateOrdersDatabase(pool: ConnectionPool, options: MigrateOptions = {}): Promise<number> {
  const { version } = await migrateDatabase(pool, {
    directory: options.directory ?? migrationsDir,
    schemaTable: 'schema_migrations',
    lockName: 'shop.orders.migrations',
    store: 'orders database',
    ...(options.target ? { target: options.target } : {}),
  });
  return version;
}
