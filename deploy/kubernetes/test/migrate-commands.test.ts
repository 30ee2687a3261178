import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { isolatedPgDatabase, testStores, uniqueName, type IsolatedDatabase } from '@shop/testkit';
import type { ServiceName } from '@shop/system-map';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { repositoryRoot } from '../../../scripts/build-targets.js';
import { serviceConfigMap } from '../src/conventions.js';
import type { Manifest } from '../src/manifest.js';
import { renderOverlay } from '../src/render.js';

const objects = renderOverlay('local');

/** The rendered init container's command and ConfigMap settings of a service. */
function initContainerOf(name: ServiceName): { command: string[]; settings: Record<string, string> } {
  const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name) as IDeployment & Manifest;
  const command = deployment.spec?.template.spec?.initContainers?.[0]?.command;
  if (!command) throw new Error(`${name} has no init container`);
  const map = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === serviceConfigMap(name)) as IConfigMap & Manifest;
  return { command, settings: map.data ?? {} };
}

/**
 * Runs a service's init container command as the image would (from the repository root), with its store pointed at a
 * test store. Asynchronously: the stand-ins may serve from this very process.
 */
async function runMigrations(name: ServiceName, store: Record<string, string>): Promise<{ status: number; output: string }> {
  const { command, settings } = initContainerOf(name);
  const script = command.at(-1) ?? '';
  if (!existsSync(`${repositoryRoot}/${script}`)) throw new Error(`${script} is missing: run npm run -s build`);
  const env = { PATH: process.env.PATH, ...settings, NATS_URL: testStores().natsUrl, LOG_LEVEL: 'info', ...store };
  return new Promise((resolve) => {
    execFile(process.execPath, command.slice(1), { cwd: repositoryRoot, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs the command twice: the first applies every migration, the second finds nothing pending; both exit 0. */
async function migrateTwice(name: ServiceName, store: Record<string, string>): Promise<void> {
  for (const attempt of ['first', 'second']) {
    const { status, output } = await runMigrations(name, store);
    expect({ name, attempt, status, output }).toEqual({ name, attempt, status: 0, output: expect.not.stringContaining('failed') });
  }
}

describe('the init containers’ migrate commands, run compiled against real stores', () => {
  const databases: IsolatedDatabase[] = [];
  let stores: ReturnType<typeof testStores>;
  beforeAll(() => {
    stores = testStores();
  });
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  /** Migrates a fresh database of the service's cluster twice, then lists its public tables. */
  async function tablesAfterMigrating(name: ServiceName, adminUrl: string, variable: string): Promise<string[]> {
    const database = await isolatedPgDatabase(adminUrl, `k8s_${name}`);
    databases.push(database);
    await migrateTwice(name, { [variable]: database.url });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'");
      return tables.rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  }

  it('users: applies the SQL migrations once, then exits 0 with nothing pending', async () => {
    expect(await tablesAfterMigrating('users', stores.usersPgAdminUrl, 'USERS_DATABASE_URL')).toEqual(expect.arrayContaining(['users', 'outbox', 'schemaversion']));
  });

  it('orders: applies the SQL migrations, then exits 0 with nothing pending', async () => {
    expect(await tablesAfterMigrating('orders', stores.ordersPgAdminUrl, 'ORDERS_DATABASE_URL')).toEqual(expect.arrayContaining(['orders', 'outbox', 'schema_migrations']));
  });

  it('products: applies the MongoDB migrations (collections, validators, indexes) once', async () => {
    const url = new URL(stores.mongoUrl);
    url.pathname = `/${uniqueName('k8s_products').replace(/-/g, '_')}`;
    await migrateTwice('products', { PRODUCTS_MONGO_URL: url.toString() });
    const client = await MongoClient.connect(url.toString());
    try {
      const applied = await client.db().collection('migrations').find().toArray();
      expect(applied.map((record) => record._id)).toEqual(expect.arrayContaining([expect.stringMatching(/^V1__/)]));
      await client.db().dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('search: creates the index behind its alias once', async () => {
    const alias = uniqueName('k8s-products');
    await migrateTwice('search', { SEARCH_ELASTICSEARCH_URL: stores.elasticsearchUrl, SEARCH_INDEX_ALIAS: alias });
    const response = await fetch(new URL(`/_alias/${alias}`, stores.elasticsearchUrl));
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as Record<string, unknown>)).toHaveLength(1);
  });

  it('analytics: creates and migrates its DuckDB file once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'k8s-analytics-'));
    try {
      const store = { ANALYTICS_DUCKDB_PATH: join(folder, 'analytics.duckdb') };
      const versions: string[] = [];
      for (const attempt of ['first', 'second']) {
        const { status, output } = await runMigrations('analytics', store);
        expect({ attempt, status }).toEqual({ attempt, status: 0 });
        versions.push(/"schemaVersion":(\d+)/.exec(output)?.[1] ?? 'none');
      }
      expect(existsSync(store.ANALYTICS_DUCKDB_PATH)).toBe(true);
      expect(versions[0]).toMatch(/^[1-9]\d*$/);
      expect(versions[1]).toBe(versions[0]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('fails, naming the variable, when the store URL is missing', async () => {
    const { status, output } = await runMigrations('users', { USERS_DATABASE_URL: '' });
    expect(status).toBe(1);
    expect(output).toContain('USERS_DATABASE_URL');
  });
});
