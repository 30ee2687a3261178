import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { healthStatus } from '@shop/runtime';
import { SERVICE_NAMES, serviceAddress, systemPorts } from '@shop/launcher';
import { descendantsOf, residentBytes } from '@shop/testkit';

const usage = `Measures npm start: time from the command to every service SERVING, to ready (demo data loaded),
the whole stack's resident memory, and the time to stop; once on an empty data folder, once on the same data.
Usage: node --import tsx bench/startup.ts [--port-offset 3100] [--out bench/results/startup.md]`;

const { values } = parseArgs({ options: { 'port-offset': { type: 'string', default: '3100' }, out: { type: 'string', default: 'bench/results/startup.md' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const offset = Number(values['port-offset']);
const ports = systemPorts(offset);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function allServing(): Promise<boolean> {
  const statuses = await Promise.all(SERVICE_NAMES.map((name) => healthStatus(serviceAddress(ports, name), '', 500).catch(() => 'DOWN')));
  return statuses.every((status) => status === 'SERVING');
}

/** One start of the whole system: timings in seconds and memory in MiB. */
async function measureStart(dataDir: string) {
  const started = performance.now();
  const launcher = spawn(process.execPath, ['--import', 'tsx', 'infra/launcher/src/start.ts'], {
    env: { ...process.env, SHOP_DATA_DIR: dataDir, SHOP_PORT_OFFSET: String(offset) },
    stdio: 'ignore',
  });
  const exited = once(launcher, 'exit');
  let serving = 0;
  while (!existsSync(join(dataDir, 'endpoints.json'))) {
    if (launcher.exitCode !== null) throw new Error('the launcher exited early; see its logs under the data folder');
    if (!serving && (await allServing())) serving = performance.now();
    await sleep(200);
  }
  const ready = performance.now();
  serving ||= ready;
  await sleep(2000);
  const pids = [launcher.pid!, ...descendantsOf(launcher.pid!)];
  const breakdown = new Map<string, number>();
  for (const pid of pids) {
    const command = commandOf(pid);
    breakdown.set(command, (breakdown.get(command) ?? 0) + residentBytes([pid]));
  }
  const rss = residentBytes(pids);
  const stopStarted = performance.now();
  launcher.kill('SIGTERM');
  await exited;
  const stopped = performance.now();
  const mib = (bytes: number) => bytes / 1024 / 1024;
  return {
    servingSeconds: (serving - started) / 1000,
    readySeconds: (ready - started) / 1000,
    rssMiB: mib(rss),
    processes: pids.length,
    stopSeconds: (stopped - stopStarted) / 1000,
    breakdown: [...breakdown].map(([command, bytes]) => [command, mib(bytes)] as const).sort((a, b) => b[1] - a[1]),
  };
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const service = argv.find((arg) => /^services\/[^/]+\/dist\/main\.js$/.test(arg) || /^infra\/[^/]+-standin\/dist\/cli\.js$/.test(arg) || arg.endsWith('launcher/src/start.ts'));
    if (service) return service.split('/')[1] === 'launcher' ? 'launcher' : `${service.split('/')[1]}${service.startsWith('services/') ? ' service' : ''}`;
    const binary = (argv[0] ?? '?').split('/').pop()!.split(/[: ]/)[0]!;
    if (binary.startsWith('postgres')) return 'postgres (3 clusters, shared memory counted per process)';
    if (binary === 'sh') return 'watchdog shells';
    return /^[\w.-]+$/.test(binary) ? binary : 'other';
  } catch {
    return '?';
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'shop-bench-startup-'));
await chmod(dataDir, 0o755);
try {
  const cold = await measureStart(dataDir);
  const warm = await measureStart(dataDir);
  const f = (n: number) => n.toFixed(1);
  const lines = [
    '| run | to every service SERVING (s) | to ready, demo data loaded (s) | stack RSS (MiB) | processes | stop (s) |',
    '|---|---|---|---|---|---|',
    `| first start, empty data folder | ${f(cold.servingSeconds)} | ${f(cold.readySeconds)} | ${f(cold.rssMiB)} | ${cold.processes} | ${f(cold.stopSeconds)} |`,
    `| second start, same data | ${f(warm.servingSeconds)} | ${f(warm.readySeconds)} | ${f(warm.rssMiB)} | ${warm.processes} | ${f(warm.stopSeconds)} |`,
    `| ratio second / first | ${(warm.servingSeconds / cold.servingSeconds).toFixed(2)} | ${(warm.readySeconds / cold.readySeconds).toFixed(2)} | ${(warm.rssMiB / cold.rssMiB).toFixed(2)} | | |`,
    '',
    'Resident memory by process kind (second start):',
    '',
    '| process | RSS (MiB) |',
    '|---|---|',
    ...warm.breakdown.map(([command, mibs]) => `| ${command} | ${f(mibs)} |`),
  ];
  const report = `# npm start: time to SERVING and memory\n\nMeasured by \`node --import tsx bench/startup.ts\` on ${new Date().toISOString().slice(0, 10)}.\n\n${lines.join('\n')}\n`;
  console.log(report);
  await writeFile(values.out!, report);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
