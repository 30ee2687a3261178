import { fileURLToPath } from 'node:url';
import { migrateDatabase, type ConnectionPool } from '@shop/postgres';

/** The service's own migrations folder. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Applies the users database's pending migrations (see migrateDatabase); returns the applied file names. */
export async function migrateUsersDatabase(pool: ConnectionPool, directory = defaultMigrationsDir): Promise<string[]> {
  const { applied } = await migrateDatabase(pool, { directory, schemaTable: 'schemaversion', lockName: 'shop.users.migrations', store: 'users database' });
  return applied;
}
