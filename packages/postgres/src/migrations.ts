import path from 'node:path';
import Postgrator from 'postgrator';
import type { ConnectionPool } from './queryable.js';
import { connectOnceUp } from './server-start.js';

/** Where a service's migrations are and how its schema history is kept. */
export interface MigrationOptions {
  /** The folder of numbered SQL files (postgrator naming: 001.do.create_orders.sql). */
  readonly directory: string;
  /** The table recording applied migrations and their checksums. */
  readonly schemaTable: string;
  /** The advisory lock's name: one per database, so concurrent starts apply each migration once. */
  readonly lockName: string;
  /** The store's name in errors, for example "orders database". */
  readonly store: string;
  /** "max" (default) or the version to migrate to. */
  readonly target?: string;
  /** How long to wait for a server that is not up yet (refuses connections, or is starting up); 60 s by default. */
  readonly serverStartWaitMs?: number;
}

/**
 * How long a migration waits by default for its server to come up: as long as npm start gives a store to be ready, so
 * a service started beside its cluster outlasts the cluster's own first start on a loaded machine.
 */
const SERVER_START_WAIT_MS = 60_000;

/** The schema version reached and the files this run applied. */
export interface MigrationOutcome {
  readonly version: number;
  readonly applied: string[];
}

interface Step {
  readonly phase: 'validate' | 'apply';
  readonly migration: Postgrator.Migration;
}

/**
 * Waits for the server to come up (see connectOnceUp), then applies the pending migrations up to the target in one
 * transaction under a transaction-scoped advisory lock: concurrent starts apply each once, a failure leaves nothing
 * half-applied, no lock outlives the transaction (even behind a transaction-pooling proxy), and an applied migration
 * whose file changed stops it with an error naming the file.
 */
export async function migrateDatabase(pool: ConnectionPool, options: MigrationOptions): Promise<MigrationOutcome> {
  const client = await connectOnceUp(pool, options.serverStartWaitMs ?? SERVER_START_WAIT_MS).catch((error: unknown) => {
    throw new Error(`cannot reach the ${options.store}: ${reasonOf(error)}`, { cause: error });
  });
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [options.lockName]);
    const postgrator = new Postgrator({
      driver: 'pg',
      migrationPattern: path.join(options.directory, '*.sql'),
      schemaTable: options.schemaTable,
      validateChecksums: true,
      execQuery: (query) => client.query(query),
    });
    let step: Step | undefined;
    postgrator.on('validation-started', (migration) => (step = { phase: 'validate', migration }));
    postgrator.on('validation-finished', () => (step = undefined));
    postgrator.on('migration-started', (migration) => (step = { phase: 'apply', migration }));
    try {
      const applied = await postgrator.migrate(options.target ?? 'max');
      const version = await postgrator.getDatabaseVersion();
      await client.query('COMMIT');
      return { version, applied: applied.map((migration) => path.basename(migration.filename)) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw migrationError(error, step);
    }
  } finally {
    client.release();
  }
}

function migrationError(error: unknown, step: Step | undefined): Error {
  const reason = reasonOf(error);
  if (!step) return new Error(`migrations failed: ${reason}`, { cause: error });
  const file = path.basename(step.migration.filename);
  if (step.phase === 'validate') {
    return new Error(`migration ${file} was edited after it was applied (checksum mismatch); restore it and add a new migration instead`, { cause: error });
  }
  return new Error(`migration ${file} failed: ${reason}`, { cause: error });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
