import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { healthStatus } from '@shop/runtime';
import { claimPort } from '@shop/local-stack';
import { DEFAULT_PORTS } from '../src/ports.js';
import { descendantsOf, eventually, isRunning, testStores } from '@shop/testkit';

const run = promisify(execFile);

/** Resolves once the file exists; fails at once when the launcher exited first, and past the bound. */
function fileAppears(path: string, timeoutMs: number, exited: () => boolean): Promise<true> {
  return eventually(
    () => {
      if (existsSync(path)) return true;
      if (exited()) throw new Error('the launcher exited before the system was up');
      return false;
    },
    { description: `${path} to appear`, timeoutMs, intervalMs: 500 },
  );
}

/** A base port above the kernel's ephemeral range whose 14 consecutive ports are free, so no client socket takes one. */
async function freePortBase(): Promise<number> {
  const [, ephemeralEnd] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const count = Object.keys(DEFAULT_PORTS).length;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const low = Math.max(20000, (ephemeralEnd ?? 60999) + 1);
    const base = low + Math.floor(Math.random() * (65500 - count - low));
    const free = await Promise.all(Array.from({ length: count }, (_, index) => claimPort(base + index, 'probe').then(() => true, () => false)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free block of ports');
}

describe('npm start (the launcher)', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('brings every service up SERVING (with the event bus replaced by an external URL), answers a search by reflection, refuses a second start, and stops with nothing left behind', async () => {
    const base = await freePortBase();
    dataDir = await mkdtemp(join(tmpdir(), 'shop-launcher-'));
    await chmod(dataDir, 0o755);
    const env = { ...process.env, SHOP_DATA_DIR: dataDir, SHOP_PORT_BASE: String(base), NATS_URL: testStores().natsUrl };
    const launcher = spawn(process.execPath, ['infra/launcher/dist/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(launcher, 'exit');
    try {
      await fileAppears(join(dataDir, 'endpoints.json'), 240_000, () => launcher.exitCode !== null);
    } catch (error) {
      throw new Error(`${String(error)}\n${output}`);
    }
    const { endpoints, commands } = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as {
      endpoints: Array<{ service: string; address: string; storeKind: string; storeUrl: string }>;
      commands: string[];
    };
    const grpcServices = endpoints.filter((row) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(row.address) && row.service !== 'event bus');
    expect(grpcServices.map((row) => row.service).sort()).toEqual(['analytics', 'cart', 'gateway (gRPC)', 'orders', 'orders (reads)', 'products', 'search', 'users']);
    for (const row of grpcServices) expect(await healthStatus(row.address)).toBe('SERVING');
    expect(endpoints.find((row) => row.service === 'products')).toMatchObject({ storeKind: 'stand-in', storeUrl: expect.stringContaining('products_svc:***@') });
    expect(endpoints.find((row) => row.service === 'search')).toMatchObject({ storeKind: 'stand-in', storeUrl: expect.stringContaining('search_svc:***@') });
    expect(endpoints.find((row) => row.service === 'orders')?.storeKind).toBe('embedded');
    expect(endpoints.find((row) => row.service === 'event bus')).toMatchObject({ storeKind: 'external', address: testStores().natsUrl.replace(/:[^:@/]+@/, ':***@') });

    const gateway = endpoints.find((row) => row.service === 'gateway (gRPC)')!.address;
    const { stdout } = await run('node_modules/.bin/buf', [
      'curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--data', '{"query": "trail shoe"}', `http://${gateway}/shop.storefront.v1.StorefrontService/SearchProducts`,
    ]);
    const search = JSON.parse(stdout) as { items: Array<{ name: string; live: boolean }> };
    expect(search.items[0]).toMatchObject({ name: 'Trail Shoe', live: true });
    expect(commands).toHaveLength(3);

    const second = await run(process.execPath, ['infra/launcher/dist/start.js'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(second).toMatchObject({ code: 1, stderr: expect.stringContaining('the system is already running') });

    const children = descendantsOf(launcher.pid!);
    expect(children.length).toBeGreaterThanOrEqual(10);
    launcher.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    await eventually(() => children.filter(isRunning).length === 0, { description: 'every process the launcher started to exit', timeoutMs: 10_000 });
  }, 360_000);
});
