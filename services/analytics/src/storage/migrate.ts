import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inTransaction, type AnalyticsDatabase } from './duckdb.js';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));
const migrationFile = /^(\d{3})\.do\.([a-z0-9-]+)\.sql$/;

/** One versioned migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** The migration files, in version order. */
export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => migrationFile.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const [, version, name] = migrationFile.exec(file)!;
      const sql = await readFile(`${dir}/${file}`, 'utf8');
      return { version: Number(version), name: name!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies the migrations not yet recorded, each in its own transaction with its row in schema_migrations; refuses to
 * start when a recorded migration's file changed since it was applied. Answers the schema version.
 */
export async function migrateAnalyticsDatabase(database: AnalyticsDatabase, migrations?: readonly Migration[]): Promise<number> {
  const files = migrations ?? (await readMigrations());
  return database.serialized(async (connection) => {
    await connection.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)',
    );
    const applied = new Map(
      (await connection.runAndReadAll('SELECT version, checksum FROM schema_migrations')).getRowObjectsJS().map((row) => [Number(row.version), String(row.checksum)]),
    );
    for (const migration of files) {
      const recorded = applied.get(migration.version);
      if (recorded !== undefined) {
        if (recorded !== migration.checksum) throw new Error(`migration ${migration.version} (${migration.name}) changed after it was applied`);
        continue;
      }
      await inTransaction(connection, async () => {
        await connection.run(migration.sql);
        await connection.run('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
      });
    }
    return Math.max(0, ...files.map((migration) => migration.version));
  });
}
