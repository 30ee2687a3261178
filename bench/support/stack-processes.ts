import { readFileSync } from 'node:fs';

const POSTGRES_ROLES = /^postgres: (?:\S+ )?(checkpointer|background writer|walwriter|autovacuum launcher|autovacuum worker|logical replication launcher|io worker|walsender|walreceiver|startup|archiver)/;

function argvOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/**
 * What a process of the stack runs, by a short name: a compiled service or stand-in by its folder ("products",
 * "mongo-standin"), the launcher, PostgreSQL by its role ("postgres backend", "postgres walwriter"), the watchdog
 * shells, or the program's name. Undefined when the process has gone.
 */
export function stackProcessName(pid: number): string | undefined {
  let argv: string[];
  try {
    argv = argvOf(pid);
  } catch {
    return undefined;
  }
  if (argv[0] === '/bin/sh' && argv.includes('watchdog')) return 'watchdog shells';
  const bundle = argv.map((arg) => /(?:^|\/)(services|infra)\/([^/]+)\/(?:dist|src)\/(?:main|cli|start)\.[jt]s$/.exec(arg)).find(Boolean);
  if (bundle) return bundle[2]!;
  const first = argv[0] ?? '';
  if (first.startsWith('postgres: ')) return `postgres ${POSTGRES_ROLES.exec(first)?.[1] ?? 'backend'}`;
  const binary = first.split('/').pop()!.split(' ')[0]!;
  if (binary === 'postgres') return 'postgres postmaster';
  if (/^[\w.-]+$/.test(binary)) return binary;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Resident memory of one process in bytes: RSS (shared pages counted in full) and PSS (shared pages split among their sharers). */
export interface ResidentMemory {
  readonly rss: number;
  readonly pss: number;
}

/** RSS and PSS of a process from /proc/<pid>/smaps_rollup; zero when it has gone. */
export function residentMemory(pid: number): ResidentMemory {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
    return { rss: kib('Rss'), pss: kib('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** One kind of process of the stack and what its processes hold together. */
export interface MemoryByName {
  readonly name: string;
  readonly processes: number;
  readonly rss: number;
  readonly pss: number;
}

/** The memory of the processes summed by name, the largest PSS first. */
export function memoryByName(pids: readonly number[]): MemoryByName[] {
  const sums = new Map<string, { processes: number; rss: number; pss: number }>();
  for (const pid of pids) {
    const name = stackProcessName(pid);
    if (!name) continue;
    const { rss, pss } = residentMemory(pid);
    const sum = sums.get(name) ?? { processes: 0, rss: 0, pss: 0 };
    sums.set(name, { processes: sum.processes + 1, rss: sum.rss + rss, pss: sum.pss + pss });
  }
  return [...sums].map(([name, sum]) => ({ name, ...sum })).sort((a, b) => b.pss - a.pss);
}
