import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { descendantsOf } from '@shop/testkit';

const run = promisify(execFile);

const cpuCount = cpus().length;

/** The CPU the orders clusters get to themselves, or undefined on a single-CPU machine. */
export function ordersCpu(): number | undefined {
  return cpuCount >= 2 ? cpuCount - 1 : undefined;
}

/** Every CPU except the orders one, as a taskset list ("0-2"). */
export function otherCpus(): string {
  const last = cpuCount - 2;
  return last === 0 ? '0' : `0-${last}`;
}

/** Pins the process (all its threads) and every descendant to the CPU list; children forked later inherit it. */
export async function pinProcessTree(pid: number, cpuList: string): Promise<void> {
  for (const target of [pid, ...descendantsOf(pid)]) {
    await run('taskset', ['-a', '-p', '-c', cpuList, String(target)]).catch(() => undefined);
  }
}

/** The postmaster process id written in a PostgreSQL data folder. */
export async function postmasterPid(clusterDir: string): Promise<number> {
  const firstLine = (await readFile(`${clusterDir}/postmaster.pid`, 'utf8')).split('\n')[0]!;
  return Number(firstLine.trim());
}
