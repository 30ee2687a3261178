import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPort } from '@shop/local-stack';
import { DEFAULT_PORTS } from '@shop/launcher';
import { auditCartMarkers } from '../bench/chaos/audit.js';
import { createRaceProduct } from '../bench/chaos/buyers.js';
import { launchSystem, type LaunchedSystem } from '../bench/chaos/launched-system.js';
import { chaosRound } from '../bench/chaos/round.js';
import { shopClients } from '../bench/chaos/shop-clients.js';

/** A free block of ports in 26000–32000: below the kernel's ephemeral range and apart from the launcher test's block above it. */
async function freePortBlock(): Promise<number> {
  const count = Object.keys(DEFAULT_PORTS).length;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 26_000 + Math.floor(Math.random() * (6_000 - count));
    const free = await Promise.all(Array.from({ length: count }, (_, index) => claimPort(base + index, 'probe').then(() => true, () => false)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free block of ports');
}

const round = { buyers: 30, units: 10, killAfterMs: 500, buyerTimeoutMs: 180_000, recoveryTimeoutMs: 180_000, settleMs: 90_000 };

describe('a launcher-run system under kill -9', () => {
  let dataDir = '';
  let system: LaunchedSystem | undefined;
  afterAll(async () => {
    await system?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('restarts orders and products killed during a checkout burst, and loses nothing: stock balances, no order stays PENDING, one order per key, carts emptied, search matches products', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shop-chaos-test-'));
    await chmod(dataDir, 0o755);
    system = await launchSystem({ dataDir, portBase: await freePortBlock(), jwtSecret: randomBytes(32).toString('hex'), timeoutMs: 300_000 });
    const clients = shopClients(system.ports);
    const marker = await createRaceProduct(clients, 'cart marker', 1);
    const markers = [];
    for (const target of ['orders', 'products']) {
      const result = await chaosRound(system, clients, target, round, marker.id);
      expect({ target, restarted: result.servingAgainMs !== undefined, errors: result.errors }).toEqual({ target, restarted: true, errors: [] });
      expect({ target, problems: result.audit.findings.filter((finding) => finding.problems.length > 0) }).toEqual({ target, problems: [] });
      expect(system.output()).toContain(`${target} exited (SIGKILL); restarting in`);
      expect(system.output()).toContain(`${target} SERVING again after`);
      markers.push(...result.markers);
    }
    expect((await auditCartMarkers(clients, markers)).problems).toEqual([]);
  }, 900_000);
});
