import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startBenchStores } from './noisy-neighbour/bench-stores.js';
import { measureInterleaved } from './noisy-neighbour/interleaved-rounds.js';
import { markdownReport } from './noisy-neighbour/markdown-report.js';
import { parseBenchOptions, USAGE } from './noisy-neighbour/options.js';
import { p99ChartPng } from './noisy-neighbour/p99-chart.js';
import { ensurePgBouncerInstalled } from './noisy-neighbour/pgbouncer.js';
import { prepareMode, type PreparedMode } from './noisy-neighbour/prepared-mode.js';
import { ratioRows } from './noisy-neighbour/ratio-rows.js';
import type { Mode } from './noisy-neighbour/topologies.js';

const MODES: Mode[] = ['database-per-service', 'shared-database'];
const log = (line: string) => process.stderr.write(`[noisy-neighbour] ${line}\n`);

const options = parseBenchOptions(process.argv.slice(2));
if (options === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}

const startedAt = new Date();
const loadBefore = loadavg()[0]!;
await ensurePgBouncerInstalled(log);
log('starting PostgreSQL, Redis, NATS and the Mongo stand-in in a temporary folder (PgBouncer comes with the shared mode)');
const stores = await startBenchStores(options.pinCpus);
const prepared: PreparedMode[] = [];
let results;
try {
  for (const mode of MODES) prepared.push(await prepareMode(mode, stores, options, log));
  results = await measureInterleaved(prepared, options, log);
} finally {
  for (const mode of prepared) await mode.teardown();
  await stores.stop();
}

const hostLoad = `1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after the run`;
const report = markdownReport(results, { options, cpuNote: stores.cpuNote, hostLoad, startedAt });
await mkdir(options.outDir, { recursive: true });
await writeFile(join(options.outDir, 'noisy-neighbour.md'), report);
await writeFile(join(options.outDir, 'noisy-neighbour.json'), `${JSON.stringify({ startedAt, options, cpuNote: stores.cpuNote, hostLoad, results }, null, 2)}\n`);
await writeFile(join(options.outDir, 'noisy-neighbour.png'), await p99ChartPng(ratioRows(results)));
process.stdout.write(report);
log(`done in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s; results in ${options.outDir}`);
