import { readFileSync } from 'node:fs';
import { descendantsOf } from '@shop/testkit';
import { stackProcessName } from '../support/stack-processes.js';

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by each process of the tree, by a short name of what it runs. */
export function cpuByProcess(rootPid: number): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const pid of [rootPid, ...descendantsOf(rootPid)]) {
    try {
      const used = processCpuSeconds(pid);
      const name = processName(pid);
      seconds.set(name, (seconds.get(name) ?? 0) + used);
    } catch {
      continue;
    }
  }
  return seconds;
}

/** The process's short name, with every PostgreSQL process of every cluster counted as one "postgres". */
function processName(pid: number): string {
  const name = stackProcessName(pid) ?? 'unknown';
  return name.startsWith('postgres ') ? 'postgres' : name;
}

/** CPU seconds used so far by each of the named processes. */
export function cpuSecondsOf(pids: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]));
}

/** The CPU milliseconds each process used per call between two readings, the busiest first; only those from minMs (0.05 ms) up. */
export function cpuPerCall(before: Map<string, number>, after: Map<string, number>, calls: number, minMs = 0.05): Array<[string, number]> {
  return [...after]
    .map(([name, seconds]) => [name, ((seconds - (before.get(name) ?? 0)) * 1000) / Math.max(1, calls)] as [string, number])
    .filter(([, ms]) => ms >= minMs)
    .sort((a, b) => b[1] - a[1]);
}

/** The Node process of the tree that runs the bundle (not its supervising shell). */
export function nodeProcessRunning(root: number, bundle: string): number {
  const pid = descendantsOf(root).find((candidate) => {
    try {
      const argv = readFileSync(`/proc/${candidate}/cmdline`, 'utf8').split('\0');
      return argv[0]!.endsWith('/node') && argv.some((arg) => arg.includes(bundle));
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error(`no process runs ${bundle}`);
  return pid;
}

/** CPU seconds one process has used so far (user and system). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The environment a running process was started with, to start a copy of it. */
export function processEnvironment(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** The arguments a running process was started with, after its executable: a Node service's V8 flags, preloads and main module. */
export function processArguments(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1);
}

/**
 * Waits until the processes under rootPid together use less than `cores` of CPU over one window, so a scenario does
 * not start while the stack still works off an earlier one (events, indexing, batches); gives up after timeoutMs.
 */
export async function untilQuiet(rootPid: number, { cores = 0.25, windowMs = 500, timeoutMs = 20_000 } = {}): Promise<{ waitedMs: number; quiet: boolean }> {
  const started = performance.now();
  const total = () => [...cpuByProcess(rootPid).values()].reduce((sum, seconds) => sum + seconds, 0);
  for (let before = total(); performance.now() - started < timeoutMs; ) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = total();
    if ((after - before) / (windowMs / 1000) < cores) return { waitedMs: Math.round(performance.now() - started), quiet: true };
    before = after;
  }
  return { waitedMs: Math.round(performance.now() - started), quiet: false };
}
