import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS, serviceAddress, systemPorts, type ServiceName } from '@shop/launcher';
import { claimPort } from '@shop/local-stack';
import type { Client } from '@connectrpc/connect';
import type { SearchService } from '@shop/gen/search/v1/search_service_pb';

/** The whole system as `npm start` runs it (demo data loaded), on its own ports and data folder. */
export interface RunningSystem {
  address(name: ServiceName): string;
  readonly jwtSecret: string;
  /** The launcher's process id, for the stack's memory. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** A base port above the kernel's ephemeral range whose consecutive ports (one per system port) are all free. */
async function freePortBase(): Promise<number> {
  const [, ephemeralEnd] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const count = Object.keys(DEFAULT_PORTS).length;
  const low = Math.max(20_000, (ephemeralEnd ?? 60_999) + 1);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = low + Math.floor(Math.random() * (65_500 - count - low));
    const free = await Promise.all(Array.from({ length: count }, (_, index) => claimPort(base + index, 'probe').then(() => true, () => false)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free block of ports for the system');
}

/**
 * The gateway's per-user and per-address limits lifted: h2load calls from one address with one token, and it counts
 * an answered RESOURCE_EXHAUSTED (HTTP 200, gRPC status in the trailers) as served, so a limited gateway would be
 * measured answering refusals.
 */
const unthrottledGateway = {
  GATEWAY_RATE_LIMIT_PER_SECOND: '1000000',
  GATEWAY_RATE_LIMIT_BURST: '1000000',
  GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND: '1000000',
  GATEWAY_ADDRESS_RATE_LIMIT_BURST: '1000000',
};

/** Starts the launcher on a free block of ports and waits until it wrote its endpoints file (ready with demo data). */
export async function startSystem(timeoutMs = 300_000): Promise<RunningSystem> {
  const base = await freePortBase();
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-bench-load-'));
  await chmod(dataDir, 0o755);
  const jwtSecret = 'bench-load-secret-bench-load-secret-0001';
  const launcher: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=2', 'infra/launcher/dist/start.js'], {
    env: { ...process.env, ...unthrottledGateway, SHOP_DATA_DIR: dataDir, SHOP_PORT_BASE: String(base), GATEWAY_JWT_SECRET: jwtSecret },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(launcher, 'exit');
  const stop = async () => {
    if (launcher.exitCode === null) {
      launcher.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(join(dataDir, 'endpoints.json'))) {
    if (launcher.exitCode !== null || Date.now() > deadline) {
      const logs = join(dataDir, 'logs');
      await stop();
      throw new Error(`the system did not start (launcher ${launcher.exitCode === null ? 'timed out' : `exited ${launcher.exitCode}`}); logs were in ${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const ports = systemPorts(0, base);
  return { address: (name) => serviceAddress(ports, name), jwtSecret, pid: launcher.pid!, stop };
}

/** Waits until the search service has indexed at least `size` products (15 minutes at most), reporting every 15 s. */
export async function waitForCatalogue(search: Client<typeof SearchService>, size: bigint, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 900_000;
  let reported = Date.now();
  for (let indexed = 0n; indexed < size; indexed = (await search.searchProducts({ pageSize: 1 })).totalSize) {
    if (Date.now() > deadline) throw new Error(`search indexed ${indexed} of ${size} products within 900 s`);
    if (Date.now() - reported > 15_000) {
      reported = Date.now();
      log(`search has indexed ${indexed} of ${size} products`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
