import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { outboxColumns, readOutboxColumns } from '@shop/postgres';
import { defaultMigrationsDir } from '../src/storage/migrate.js';
import { startService, testEnvironment, userClient, type TestEnvironment } from './harness.js';

async function appliedVersions(databaseUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('SELECT version FROM schemaversion WHERE version > 0 ORDER BY version');
    return rows.map((row) => Number(row.version));
  } finally {
    await client.end();
  }
}

describe('migrations of the users database', () => {
  const envs: TestEnvironment[] = [];
  let copyDir: string;

  beforeAll(async () => {
    copyDir = await mkdtemp(path.join(tmpdir(), 'users-migrations-'));
    await cp(defaultMigrationsDir, copyDir, { recursive: true });
  });
  afterAll(async () => {
    await Promise.all(envs.map((env) => env.database.drop()));
    await rm(copyDir, { recursive: true, force: true });
  });

  it('applies each migration once when two instances start at the same time', async () => {
    const env = await testEnvironment();
    envs.push(env);
    const [first, second] = await Promise.all([startService(env.config), startService(env.config)]);
    try {
      const all = ['001.do.create_users.sql', '002.do.align_outbox.sql'];
      expect([first.appliedMigrations, second.appliedMigrations]).toContainEqual(all);
      expect([...first.appliedMigrations, ...second.appliedMigrations]).toEqual(all);
      expect(await appliedVersions(env.config.databaseUrl)).toEqual([1, 2]);
      const { user } = await userClient(second.address).createUser({ email: 'both@example.com', displayName: 'Both' });
      expect((await userClient(first.address).getUser({ id: user!.id })).user?.email).toBe('both@example.com');
    } finally {
      await Promise.all([first.shutdown(), second.shutdown()]);
    }
  });

  it('refuses to start, naming the file, when an applied migration was edited', async () => {
    const env = await testEnvironment();
    envs.push(env);
    const service = await startService(env.config, { migrationsDir: copyDir });
    await service.shutdown();
    await appendFile(path.join(copyDir, '001.do.create_users.sql'), '\nCREATE INDEX users_display_name ON users (display_name);\n');
    await expect(startService(env.config, { migrationsDir: copyDir })).rejects.toThrow(/migration 001\.do\.create_users\.sql was edited after it was applied/);
    expect(await appliedVersions(env.config.databaseUrl)).toEqual([1, 2]);
  });

  it('gives the outbox the one table shape of every PostgreSQL service', async () => {
    const env = await testEnvironment();
    envs.push(env);
    const service = await startService(env.config);
    await service.shutdown();
    const pool = new pg.Pool({ connectionString: env.config.databaseUrl });
    try {
      expect(await readOutboxColumns(pool)).toEqual(outboxColumns.map((column) => ({ ...column })));
    } finally {
      await pool.end();
    }
  });
});
