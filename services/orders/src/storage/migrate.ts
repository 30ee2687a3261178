import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Postgrator from 'postgrator';

/** Where the service's versioned SQL migrations live. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

const migrationLockKey = 0x6f72646572;

/** Options of migrateSchema. */
export interface MigrateOptions {
  /** "max" (default) or a version number to migrate to. */
  readonly target?: string;
  readonly directory?: string;
}

/**
 * Applies the pending migrations up to the target in one transaction, under an advisory lock so concurrent starts
 * apply each migration once; refuses to start when an applied migration's file was edited. Returns the schema version.
 */
export async function migrateSchema(databaseUrl: string, options: MigrateOptions = {}): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'orders-migrations' });
  await client.connect().catch((error: unknown) => {
    throw new Error(`orders database unreachable: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    const postgrator = new Postgrator({
      driver: 'pg',
      database: client.database,
      schemaTable: 'schema_migrations',
      migrationPattern: `${options.directory ?? migrationsDir}/*.sql`,
      execQuery: (query) => client.query(query),
    });
    await postgrator.migrate(options.target ?? 'max').catch((error: unknown) => {
      throw explained(error);
    });
    const version = await postgrator.getDatabaseVersion();
    await client.query('COMMIT');
    return version;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function explained(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const edited = /MD5 checksum failed for migration \[(\d+)\]/.exec(message);
  if (edited) {
    return new Error(`migration ${edited[1]} was edited after it was applied (checksum mismatch); restore it and add a new migration instead`);
  }
  return new Error(`migration failed: ${message}`);
}
