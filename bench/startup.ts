import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { healthStatus } from '@shop/runtime';
import { COMPILE_CACHE_DIR, LOCAL_NODE_FLAGS, SERVICE_NAMES, serviceAddress, systemPorts } from '@shop/launcher';
import { descendantsOf } from '@shop/testkit';
import { warmCompileCache } from '../scripts/warm-compile-cache.js';
import { cpuByProcess } from './load/process-cpu.js';
import { memoryByName } from './support/stack-processes.js';

const usage = `Measures npm start: time from the command to every service SERVING, to ready (demo data loaded),
the whole stack's resident memory, and the time to stop; three starts: on an empty data folder with Node's compile
cache emptied; on another empty data folder with the cache as setup leaves it (setup compiles every npm module the
outputs load into it: the first npm start after setup); on that data folder again, with the cache the starts filled.
Runs the compiled launcher (npm run build first).
Usage: ./scripts/node.sh --import tsx bench/startup.ts [--port-offset 3100] [--out bench/results/startup.md]`;

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

/** The compiled launcher npm start runs (scripts/build.ts writes it), with the same V8 flags and compile cache. */
const LAUNCHER = 'infra/launcher/dist/start.js';

/** One line the launcher printed, with the seconds since the start. */
interface TimedLine {
  readonly seconds: number;
  readonly line: string;
}

/** Where a start's launcher writes its stderr: beside its data folder, which a first start expects empty. */
const stderrFile = (dataDir: string) => `${dataDir}.launcher-stderr.log`;

/** One start of the whole system: timings in seconds, memory in MiB, and the launcher's milestones. */
async function measureStart(dataDir: string) {
  const started = performance.now();
  const launcher = spawn(process.execPath, [...LOCAL_NODE_FLAGS, LAUNCHER], {
    env: { ...process.env, SHOP_DATA_DIR: dataDir, SHOP_PORT_OFFSET: String(offset), NODE_COMPILE_CACHE: COMPILE_CACHE_DIR },
    stdio: ['ignore', 'pipe', openSync(stderrFile(dataDir), 'a')],
  });
  const lines: TimedLine[] = [];
  createInterface({ input: launcher.stdout! }).on('line', (line) => lines.push({ seconds: (performance.now() - started) / 1000, line }));
  const exited = once(launcher, 'exit');
  let serving = 0;
  while (!existsSync(join(dataDir, 'endpoints.json'))) {
    if (launcher.exitCode !== null) throw new Error(`the launcher exited early (code ${launcher.exitCode}); its stderr is kept in ${stderrFile(dataDir)}, its logs under ${dataDir}`);
    if (!serving && (await allServing())) serving = performance.now();
    await sleep(100);
  }
  const ready = performance.now();
  serving ||= ready;
  const cpu = [...cpuByProcess(launcher.pid!), ['exited children of the launcher (template copies, single-user postgres, token command)', reapedChildrenCpuSeconds(launcher.pid!)] as const].sort((a, b) => b[1] - a[1]);
  await sleep(2000);
  const pids = [launcher.pid!, ...descendantsOf(launcher.pid!)];
  const byName = memoryByName(pids);
  const stopStarted = performance.now();
  launcher.kill('SIGTERM');
  await exited;
  const stopped = performance.now();
  const mib = (bytes: number) => bytes / 1024 / 1024;
  return {
    servingSeconds: (serving - started) / 1000,
    readySeconds: (ready - started) / 1000,
    rssMiB: mib(byName.reduce((sum, entry) => sum + entry.rss, 0)),
    pssMiB: mib(byName.reduce((sum, entry) => sum + entry.pss, 0)),
    processes: byName.reduce((sum, entry) => sum + entry.processes, 0),
    stopSeconds: (stopped - stopStarted) / 1000,
    byName: byName.map((entry) => ({ ...entry, rss: mib(entry.rss), pss: mib(entry.pss) })),
    milestones: lines.filter(({ line }) => MILESTONE.test(line)),
    cpu,
    cpuSeconds: cpu.reduce((sum, [, seconds]) => sum + seconds, 0),
  };
}

/** The CPU seconds of the named process in one run's table, 0 when it did not run. */
function cpuOf(cpu: ReadonlyArray<readonly [string, number]>, name: string): number {
  return cpu.find(([other]) => other === name)?.[1] ?? 0;
}

/** CPU seconds of the process's children that exited and were reaped (cutime + cstime). */
function reapedChildrenCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Launcher lines that mark a step of the start: a store or service ready, demo data loaded. */
const MILESTONE = /^(starting \w+…|[\w-]+: (?:SERVING|ready|PostgreSQL ready|JetStream ready|taking)|demo data: )/;

/** The processes of two starts side by side, by name, the larger footprint of the two first. */
function memoryRows<E extends { name: string; pss: number }>(first: readonly E[], second: readonly E[]): Array<{ name: string; first?: E; second?: E }> {
  const names = [...new Set([...first, ...second].map((entry) => entry.name))];
  const rows = names.map((name) => ({ name, first: first.find((entry) => entry.name === name), second: second.find((entry) => entry.name === name) }));
  return rows.sort((a, b) => Math.max(b.first?.pss ?? 0, b.second?.pss ?? 0) - Math.max(a.first?.pss ?? 0, a.second?.pss ?? 0));
}

const loadBefore = loadavg().map((value) => value.toFixed(2)).join(', ');
const dataDirs = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'shop-bench-startup-'))));
await Promise.all(dataDirs.map((dir) => chmod(dir, 0o755)));
try {
  await rm(COMPILE_CACHE_DIR, { recursive: true, force: true });
  const noCache = await measureStart(dataDirs[0]!);
  await rm(COMPILE_CACHE_DIR, { recursive: true, force: true });
  await warmCompileCache();
  const cold = await measureStart(dataDirs[1]!);
  const warm = await measureStart(dataDirs[1]!);
  const runs = [
    ['first start, empty data folder, no compile cache', noCache],
    ['first start after setup, empty data folder, compile cache warmed by setup', cold],
    ['second start, same data, compile cache filled', warm],
  ] as const;
  const f = (n: number) => n.toFixed(1);
  const lines = [
    '| run | to every service SERVING (s) | to ready, demo data loaded (s) | CPU used to ready (s) | stack PSS (MiB) | stack RSS (MiB) | processes | stop (s) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...runs.map(([label, run]) => `| ${label} | ${f(run.servingSeconds)} | ${f(run.readySeconds)} | ${f(run.cpuSeconds)} | ${f(run.pssMiB)} | ${f(run.rssMiB)} | ${run.processes} | ${f(run.stopSeconds)} |`),
    '',
    `CPU seconds each process used until ready; on ${cpus().length} cores, the first start after setup needs at least ${f(cold.cpuSeconds / cpus().length)} s of wall time on a quiet machine:`,
    '',
    '| process | no compile cache (s) | first start after setup (s) | second start (s) |',
    '|---|--:|--:|--:|',
    ...noCache.cpu.map(([name, seconds]) => `| ${name} | ${f(seconds)} | ${f(cpuOf(cold.cpu, name))} | ${f(cpuOf(warm.cpu, name))} |`),
    '',
    'Resident memory by process, after the first start after setup and after the second start. PSS splits each shared page among',
    "the processes that map it, so the PSS column adds up to the stack's real footprint; RSS counts shared pages (PostgreSQL's shared",
    'buffers, the Node binary) once per process.',
    '',
    '| process | count (first / second) | PSS first start (MiB) | PSS second start (MiB) | RSS second start (MiB) |',
    '|---|--:|--:|--:|--:|',
    ...memoryRows(cold.byName, warm.byName).map(({ name, first, second }) =>
      `| ${name} | ${first?.processes ?? 0} / ${second?.processes ?? 0} | ${f(first?.pss ?? 0)} | ${f(second?.pss ?? 0)} | ${f(second?.rss ?? 0)} |`),
    '',
    "Milestones of the first start after setup (seconds since the command, from the launcher's output):",
    '',
    '| s | launcher says |',
    '|--:|---|',
    ...cold.milestones.map(({ seconds, line }) => `| ${f(seconds)} | ${line.replaceAll('|', '\\|')} |`),
  ];
  const report = `# npm start: time to SERVING and memory\n\nMeasured by \`./scripts/node.sh --import tsx bench/startup.ts\` (after \`npm run -s build\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average before the run ${loadBefore}.\n\n${lines.join('\n')}\n`;
  console.log(report);
  await writeFile(values.out!, report);
  await Promise.all(dataDirs.flatMap((dir) => [rm(dir, { recursive: true, force: true }), rm(stderrFile(dir), { force: true })]));
} catch (error) {
  // The launcher's stderr and logs of a failed start stay for reading.
  console.error(`startup: failed; data folders kept: ${dataDirs.join(', ')}`);
  throw error;
}
