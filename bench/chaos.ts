import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditCartMarkers } from './chaos/audit.js';
import { createRaceProduct } from './chaos/buyers.js';
import { launchSystem } from './chaos/launched-system.js';
import { chaosReport } from './chaos/report.js';
import { chaosRound, type RoundResult } from './chaos/round.js';
import { shopClients } from './chaos/shop-clients.js';

const SERVICES = ['gateway', 'orders', 'products', 'users', 'cart', 'search'];
const STORES = ['orders-primary', 'users-postgres', 'redis', 'nats', 'mongo-standin', 'elasticsearch-standin'];

const usage = `Kills every service and store with SIGKILL, in turn, during a checkout race through the gateway, and audits that nothing was lost.
Usage: node --import tsx bench/chaos.ts [--buyers 200] [--units 20] [--targets gateway,orders,...] [--port-base 24100] [--out bench/results/chaos.md]`;

const { values } = parseArgs({
  options: {
    buyers: { type: 'string', default: '200' },
    units: { type: 'string', default: '20' },
    targets: { type: 'string', default: [...SERVICES, ...STORES].join(',') },
    'port-base': { type: 'string', default: '24100' },
    out: { type: 'string', default: 'bench/results/chaos.md' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const settings = { buyers: Number(values.buyers), units: Number(values.units), killAfterMs: 1_500, buyerTimeoutMs: 90_000, recoveryTimeoutMs: 60_000, settleMs: 45_000 };
const dataDir = await mkdtemp(join(tmpdir(), 'shop-chaos-'));
await chmod(dataDir, 0o755);
const system = await launchSystem({ dataDir, portBase: Number(values['port-base']), jwtSecret: randomBytes(32).toString('hex'), timeoutMs: 300_000 });
const rounds: RoundResult[] = [];
try {
  const clients = shopClients(system.ports);
  const marker = await createRaceProduct(clients, 'cart marker', 1);
  for (const target of values.targets.split(',')) {
    process.stdout.write(`killing ${target}…\n`);
    const round = await chaosRound(system, clients, target, settings, marker.id);
    rounds.push(round);
    process.stdout.write(`${target}: SERVING again ${round.servingAgainMs ?? '-'} ms, first checkout ${round.firstCheckoutMs ?? '-'} ms, ${JSON.stringify(round.outcomes)}, audit ${round.audit.clean ? 'clean' : JSON.stringify(round.audit.findings.filter((finding) => finding.problems.length))}\n`);
  }
  const final = await auditCartMarkers(clients, rounds.flatMap((round) => round.markers));
  const command = `node --import tsx bench/chaos.ts --buyers ${settings.buyers} --units ${settings.units}`;
  await writeFile(values.out, chaosReport(rounds, SERVICES, final, command, settings));
  process.stdout.write(`${values.out} written; restarts reported by the launcher:\n${system.output().split('\n').filter((line) => /exited|SERVING again|keeps crashing/.test(line)).join('\n')}\n`);
} finally {
  await system.stop();
  await rm(dataDir, { recursive: true, force: true });
}
