import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startTcpProxy } from '@shop/testkit';
import { isServerNotUpYet, migrateDatabase, type MigrationOptions } from '../src/index.js';
import { testDatabase } from './database.js';

let scratch: string;
const opened: Array<{ close(): Promise<void> }> = [];

async function migrationsFolder(name: string, files: Record<string, string>): Promise<string> {
  const directory = path.join(scratch, name);
  await mkdir(directory, { recursive: true });
  for (const [file, sql] of Object.entries(files)) await writeFile(path.join(directory, file), sql);
  return directory;
}

function options(directory: string, extra: Partial<MigrationOptions> = {}): MigrationOptions {
  return { directory, schemaTable: 'schema_history', lockName: 'shop.test.migrations', store: 'test database', ...extra };
}

const two = {
  '001.do.create_notes.sql': 'CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);\n',
  '002.do.add_author.sql': "ALTER TABLE notes ADD COLUMN author text NOT NULL DEFAULT '';\n",
};

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'shop-postgres-migrations-'));
});
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await rm(scratch, { recursive: true, force: true });
});

/** A TCP proxy in front of the database's server, and the database's URL through it. */
async function proxiedDatabase(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy(url.hostname, Number(url.port));
  url.port = String(proxy.port);
  return { proxy, url: url.toString() };
}

async function freshDatabase() {
  const db = await testDatabase();
  opened.push(db);
  return db;
}

describe('the migration runner', () => {
  it('applies each migration once when several starts race, and reports the version and the files', async () => {
    const { pool } = await freshDatabase();
    const directory = await migrationsFolder('race', two);
    const outcomes = await Promise.all([1, 2, 3].map(() => migrateDatabase(pool, options(directory))));
    expect(outcomes.map((outcome) => outcome.version)).toEqual([2, 2, 2]);
    expect(outcomes.flatMap((outcome) => outcome.applied)).toEqual(['001.do.create_notes.sql', '002.do.add_author.sql']);
    const { rows } = await pool.query('SELECT version FROM schema_history WHERE version > 0 ORDER BY version');
    expect(rows.map((row: { version: string }) => Number(row.version))).toEqual([1, 2]);
  });

  it('migrates to a target version and later on to the newest', async () => {
    const { pool } = await freshDatabase();
    const directory = await migrationsFolder('target', two);
    await expect(migrateDatabase(pool, options(directory, { target: '1' }))).resolves.toEqual({ version: 1, applied: ['001.do.create_notes.sql'] });
    await expect(migrateDatabase(pool, options(directory))).resolves.toEqual({ version: 2, applied: ['002.do.add_author.sql'] });
  });

  it('refuses to run, naming the file, when an applied migration was edited', async () => {
    const { pool } = await freshDatabase();
    const directory = await migrationsFolder('edited', two);
    await migrateDatabase(pool, options(directory));
    await appendFile(path.join(directory, '001.do.create_notes.sql'), '-- edited later\n');
    await expect(migrateDatabase(pool, options(directory))).rejects.toThrow(
      'migration 001.do.create_notes.sql was edited after it was applied (checksum mismatch); restore it and add a new migration instead',
    );
  });

  it('rolls a failing migration back completely and names the file', async () => {
    const { pool } = await freshDatabase();
    const directory = await migrationsFolder('failing', { ...two, '003.do.broken.sql': 'ALTER TABLE notes ADD COLUMN tag text;\nSELECT no_such_function();\n' });
    await expect(migrateDatabase(pool, options(directory))).rejects.toThrow(/^migration 003\.do\.broken\.sql failed: function no_such_function\(\) does not exist/);
    const { rows } = await pool.query(`SELECT to_regclass('notes') AS notes, to_regclass('schema_history') AS history`);
    expect(rows[0]).toEqual({ notes: null, history: null });
  });

  it('names the store when the database cannot be reached within the wait for it to come up', async () => {
    const unreachable = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
    try {
      await expect(migrateDatabase(unreachable, options(scratch, { serverStartWaitMs: 300 }))).rejects.toThrow(/^cannot reach the test database: .*ECONNREFUSED/);
    } finally {
      await unreachable.end();
    }
  });

  it('waits for a database server that starts listening after the migration began', async () => {
    const { database } = await freshDatabase();
    const { proxy, url } = await proxiedDatabase(database.url);
    await proxy.cut();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const migrating = migrateDatabase(pool, options(await migrationsFolder('late', two)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await proxy.restore();
      await expect(migrating).resolves.toEqual({ version: 2, applied: ['001.do.create_notes.sql', '002.do.add_author.sql'] });
    } finally {
      await pool.end();
      await proxy.close();
    }
  });

  it('does not wait when the server refuses the credentials', async () => {
    const { database } = await freshDatabase();
    const { proxy, url } = await proxiedDatabase(database.url);
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const pool = new pg.Pool({ connectionString: wrong.toString(), max: 2 });
    try {
      await expect(migrateDatabase(pool, options(scratch, { serverStartWaitMs: 60_000 }))).rejects.toThrow(/^cannot reach the test database: password authentication failed/);
      expect(proxy.connections()).toBe(1);
    } finally {
      await pool.end();
      await proxy.close();
    }
  });
});

describe('a server that is not up yet', () => {
  it('is one that refuses connections or answers that it is starting up, not one that refuses the login', () => {
    expect(isServerNotUpYet(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isServerNotUpYet(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isServerNotUpYet(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBe(false);
    expect(isServerNotUpYet(Object.assign(new Error('database "nothing" does not exist'), { code: '3D000' }))).toBe(false);
    expect(isServerNotUpYet(undefined)).toBe(false);
  });
});
