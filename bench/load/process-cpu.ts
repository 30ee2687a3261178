import { readFileSync } from 'node:fs';
import { descendantsOf } from '@shop/testkit';
import { stackProcessName } from '../support/stack-processes.js';

const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by each process of the tree, by a short name of what it runs. */
export function cpuByProcess(rootPid: number): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const pid of [rootPid, ...descendantsOf(rootPid)]) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const used = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
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

/** The CPU milliseconds each process used per call between two readings, the busiest first; only those above 0.05 ms. */
export function cpuPerCall(before: Map<string, number>, after: Map<string, number>, calls: number): Array<[string, number]> {
  return [...after]
    .map(([name, seconds]) => [name, ((seconds - (before.get(name) ?? 0)) * 1000) / Math.max(1, calls)] as [string, number])
    .filter(([, ms]) => ms >= 0.05)
    .sort((a, b) => b[1] - a[1]);
}
