import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { systemPorts, type SystemPorts } from '@shop/launcher';

/** A supervised process as the launcher's endpoints file lists it. */
export interface ListedProcess {
  readonly name: string;
  readonly state: string;
  readonly pid?: number;
  readonly restarts: number;
}

/** A system run by npm start's launcher in its own data folder and port block. */
export interface LaunchedSystem {
  readonly ports: SystemPorts;
  readonly jwtSecret: string;
  processes(): ListedProcess[];
  output(): string;
  stop(): Promise<void>;
}

/** Starts the launcher (no demo data) and resolves once it has written its endpoints file. */
export async function launchSystem(options: { dataDir: string; portBase: number; jwtSecret: string; timeoutMs: number }): Promise<LaunchedSystem> {
  const env = { ...process.env, SHOP_DATA_DIR: options.dataDir, SHOP_PORT_BASE: String(options.portBase), SHOP_DEMO_DATA: 'off', GATEWAY_JWT_SECRET: options.jwtSecret };
  const launcher: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=2', 'infra/launcher/dist/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(launcher, 'exit');
  const file = join(options.dataDir, 'endpoints.json');
  const deadline = Date.now() + options.timeoutMs;
  while (!existsSync(file)) {
    if (launcher.exitCode !== null) throw new Error(`the launcher exited before the system was up:\n${output}`);
    if (Date.now() > deadline) {
      launcher.kill('SIGTERM');
      throw new Error(`the system was not up within ${options.timeoutMs} ms:\n${output}`);
    }
    await sleep(250);
  }
  const processes = (): ListedProcess[] => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { processes: ListedProcess[] }).processes;
    } catch {
      return [];
    }
  };
  return {
    ports: systemPorts(0, options.portBase),
    jwtSecret: options.jwtSecret,
    processes,
    output: () => output,
    stop: async () => {
      if (launcher.exitCode === null) {
        launcher.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Kills the named process with SIGKILL, as a crash would; returns its pid. */
export function killProcess(system: LaunchedSystem, name: string): number {
  const listed = system.processes().find((entry) => entry.name === name);
  if (!listed?.pid) throw new Error(`${name} is not listed with a pid in the endpoints file`);
  process.kill(listed.pid, 'SIGKILL');
  return listed.pid;
}

/** Waits until the named process is SERVING under a pid other than the killed one; resolves to the time that took, from the kill. */
export async function waitServingAgain(system: LaunchedSystem, name: string, killedPid: number, killedAt: number, timeoutMs: number): Promise<number> {
  const deadline = killedAt + timeoutMs;
  while (Date.now() < deadline) {
    const listed = system.processes().find((entry) => entry.name === name);
    if (listed?.state === 'SERVING' && listed.pid !== undefined && listed.pid !== killedPid) return Date.now() - killedAt;
    await sleep(50);
  }
  throw new Error(`${name} was not SERVING again within ${timeoutMs} ms of the kill`);
}
