import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function describeProcess(pid: string): { cmdline: string; cwd: string } | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return { cmdline, cwd };
  } catch {
    return undefined;
  }
}

/** Command lines of live processes whose arguments or working directory lie in the folder. */
export function processesUsing(dir: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map(describeProcess)
    .filter((info) => info !== undefined && (info.cmdline.includes(dir) || info.cwd.startsWith(dir)))
    .map((info) => info?.cmdline ?? '');
}

/** Polls (bounded) until no process uses the folder; returns whatever is still running at the end. */
export async function waitUntilNoProcessUses(dir: string, attempts = 150): Promise<string[]> {
  for (let attempt = 0; attempt < attempts && processesUsing(dir).length > 0; attempt += 1) await sleep(200);
  return processesUsing(dir);
}
