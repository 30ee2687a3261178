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
import { descendantsOf, isRunning } from '@shop/testkit';

const run = promisify(execFile);

async function waitForFile(path: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (exited()) throw new Error('the launcher exited before the system was up');
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** An offset of the default ports under which every port is free now. */
async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const offset = 1000 + Math.floor(Math.random() * 4000);
    const free = await Promise.all(Object.values(DEFAULT_PORTS).map((port) => claimPort(port + offset, 'probe').then(() => true, () => false)));
    if (free.every(Boolean)) return offset;
  }
  throw new Error('no port offset with every port free');
}

describe('npm start (the launcher)', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('brings every service up SERVING, answers a search by reflection, refuses a second start, and stops with nothing left behind', async () => {
    const offset = await freePortOffset();
    dataDir = await mkdtemp(join(tmpdir(), 'shop-launcher-'));
    await chmod(dataDir, 0o755);
    const env = { ...process.env, SHOP_DATA_DIR: dataDir, SHOP_PORT_OFFSET: String(offset) };
    const launcher = spawn(process.execPath, ['--import', 'tsx', 'infra/launcher/src/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    launcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(launcher, 'exit');
    try {
      await waitForFile(join(dataDir, 'endpoints.json'), 240_000, () => launcher.exitCode !== null);
    } catch (error) {
      throw new Error(`${String(error)}\n${output}`);
    }
    const { endpoints, commands } = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as {
      endpoints: Array<{ service: string; address: string; storeKind: string }>;
      commands: string[];
    };
    const grpcServices = endpoints.filter((row) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(row.address) && row.service !== 'event bus');
    expect(grpcServices.map((row) => row.service).sort()).toEqual(['cart', 'gateway (gRPC)', 'orders', 'orders (reads)', 'products', 'search', 'users']);
    for (const row of grpcServices) expect(await healthStatus(row.address)).toBe('SERVING');
    expect(endpoints.find((row) => row.service === 'products')?.storeKind).toBe('stand-in');
    expect(endpoints.find((row) => row.service === 'orders')?.storeKind).toBe('embedded');

    const gateway = endpoints.find((row) => row.service === 'gateway (gRPC)')!.address;
    const { stdout } = await run('node_modules/.bin/buf', [
      'curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--data', '{"query": "trail shoe"}', `http://${gateway}/shop.storefront.v1.StorefrontService/SearchProducts`,
    ]);
    const search = JSON.parse(stdout) as { items: Array<{ name: string; live: boolean }> };
    expect(search.items[0]).toMatchObject({ name: 'Trail Shoe', live: true });
    expect(commands).toHaveLength(3);

    const second = await run(process.execPath, ['--import', 'tsx', 'infra/launcher/src/start.ts'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(second).toMatchObject({ code: 1, stderr: expect.stringContaining('the system is already running') });

    const children = descendantsOf(launcher.pid!);
    expect(children.length).toBeGreaterThanOrEqual(10);
    launcher.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(children.filter(isRunning)).toEqual([]);
  }, 360_000);
});
