import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsConnectionOptions } from '@shop/runtime';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FREE_STORE_PORTS, startLocalStores, startRedis, type LocalStores } from '../src/index.js';
import { processesUsing, waitUntilNoProcessUses } from './processes.js';

const scratchDirs: string[] = [];

async function scratchDir(purpose: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `local-stack-${purpose}-`));
  scratchDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function query(url: string, sql: string, values: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

async function withNats<T>(url: string, work: (connection: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const connection = await connect(natsConnectionOptions(url));
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

async function pollUntil(check: () => boolean, attempts = 100): Promise<boolean> {
  for (let attempt = 0; attempt < attempts && !check(); attempt += 1) await sleep(100);
  return check();
}

function passwordOf(url: string): string {
  return new URL(url).password;
}

describe('restarting the local stores on the same data folder', () => {
  let dataDir: string;
  let stores: LocalStores;

  beforeAll(async () => {
    dataDir = await scratchDir('restart');
    stores = await startLocalStores({ dataDir, ports: FREE_STORE_PORTS });
  }, 120_000);

  afterAll(async () => {
    await stores?.stop();
  });

  it('keeps rows, the replica, Redis keys, JetStream messages and passwords', async () => {
    await query(stores.ordersDatabaseUrl, 'CREATE TABLE kept (id text PRIMARY KEY)');
    await query(stores.ordersDatabaseUrl, "INSERT INTO kept VALUES ('order-7')");
    await withRedis(stores.cartRedisUrl, (redis) => redis.set('cart:kept', 'basket'));
    await withNats(stores.natsUrl, async (connection) => {
      await (await jetstreamManager(connection)).streams.add({ name: 'KEPT', subjects: ['kept.>'] });
      await jetstream(connection).publish('kept.one', 'event');
    });
    const before = stores;

    await stores.stop();
    stores = await startLocalStores({ dataDir, ports: FREE_STORE_PORTS });

    expect(await query(stores.ordersDatabaseUrl, 'SELECT id FROM kept')).toEqual([{ id: 'order-7' }]);
    expect(await query(stores.ordersDatabaseReplicaUrl, 'SELECT id FROM kept')).toEqual([{ id: 'order-7' }]);
    expect(await withRedis(stores.cartRedisUrl, (redis) => redis.get('cart:kept'))).toBe('basket');
    const messages = await withNats(stores.natsUrl, async (connection) => (await (await jetstreamManager(connection)).streams.info('KEPT')).state.messages);
    expect(messages).toBe(1);
    expect([passwordOf(stores.ordersDatabaseUrl), passwordOf(stores.usersDatabaseUrl), passwordOf(stores.cartRedisUrl), passwordOf(stores.admin.ordersPrimaryUrl)]).toEqual([
      passwordOf(before.ordersDatabaseUrl),
      passwordOf(before.usersDatabaseUrl),
      passwordOf(before.cartRedisUrl),
      passwordOf(before.admin.ordersPrimaryUrl),
    ]);
  }, 120_000);

  it('leaves no process of the data folder running after stop()', async () => {
    expect(processesUsing(dataDir).length).toBeGreaterThan(0);
    await stores.stop();
    expect(processesUsing(dataDir)).toEqual([]);
  });
});

describe('process supervision', () => {
  it('stops every store when the parent Node process is killed with SIGKILL', async () => {
    const dataDir = await scratchDir('sigkill');
    const fixture = fileURLToPath(new URL('./fixtures/start-stores-and-wait.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = await new Promise<boolean>((resolve) => {
      parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(true));
      parent.once('exit', () => resolve(false));
    });
    expect(ready).toBe(true);
    expect(processesUsing(dataDir).length).toBeGreaterThan(0);

    parent.kill('SIGKILL');

    expect(await waitUntilNoProcessUses(dataDir)).toEqual([]);
  }, 120_000);

  it('stops a stale instance left running by an earlier run before starting', async () => {
    const dataDir = await scratchDir('stale');
    const first = await startRedis({ dataDir, port: 0 });
    await first.stop();
    const pidFile = join(dataDir, 'redis', 'redis.pid');
    const stale = spawn('redis-server', [join(dataDir, 'redis', 'redis.conf')], { stdio: 'ignore', detached: true });
    stale.unref();
    expect(await pollUntil(() => existsSync(pidFile))).toBe(true);
    const stalePid = Number(readFileSync(pidFile, 'utf8'));
    const logLines: string[] = [];

    const second = await startRedis({ dataDir, port: 0, log: (line) => logLines.push(line) });
    await second.stop();

    expect(logLines.some((line) => line.includes(`stale instance (pid ${stalePid})`))).toBe(true);
    expect(processesUsing(dataDir)).toEqual([]);
  });
});
