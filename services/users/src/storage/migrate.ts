import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Postgrator from 'postgrator';

/** The service's own migrations folder. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

const migrationLockKey = 'shop.users.migrations';

/**
 * Applies the pending migrations in order, in one transaction under a transaction-scoped advisory lock, so concurrent
 * starts apply each once and a failure leaves nothing half-applied (and no lock outlives the transaction, even behind
 * a transaction-pooling proxy); an applied migration whose file changed stops it with an error naming the file.
 * Returns the applied file names.
 */
export async function migrateDatabase(databaseUrl: string, migrationsDir = defaultMigrationsDir): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect().catch((error: unknown) => {
    throw new Error(`cannot reach the users database: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [migrationLockKey]);
    const postgrator = new Postgrator({
      driver: 'pg',
      migrationPattern: path.join(migrationsDir, '*.sql'),
      schemaTable: 'schemaversion',
      validateChecksums: true,
      execQuery: (query) => client.query(query),
    });
    let step: Step | undefined;
    postgrator.on('validation-started', (migration) => (step = { phase: 'validate', migration }));
    postgrator.on('validation-finished', () => (step = undefined));
    postgrator.on('migration-started', (migration) => (step = { phase: 'apply', migration }));
    try {
      const applied = await postgrator.migrate();
      await client.query('COMMIT');
      return applied.map((migration) => path.basename(migration.filename));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw migrationError(error, step);
    }
  } finally {
    await client.end();
  }
}

interface Step {
  readonly phase: 'validate' | 'apply';
  readonly migration: Postgrator.Migration;
}

function migrationError(error: unknown, step: Step | undefined): Error {
  const reason = error instanceof Error ? error.message : String(error);
  if (!step) return new Error(`migrations failed: ${reason}`);
  const file = path.basename(step.migration.filename);
  if (step.phase === 'validate') return new Error(`migration ${file} was changed after it was applied (${reason}); add a new migration instead of editing it`);
  return new Error(`migration ${file} failed: ${reason}`);
}
