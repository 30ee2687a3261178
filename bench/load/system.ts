import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceAddress, systemPorts, type ServiceName } from '@shop/launcher';

/** The whole system as `npm start` runs it (demo data loaded), on its own ports and data folder. */
export interface RunningSystem {
  address(name: ServiceName): string;
  readonly jwtSecret: string;
  /** The launcher's process id, for the stack's memory. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the launcher with the given port offset and waits until it wrote its endpoints file (ready with demo data). */
export async function startSystem(portOffset: number, timeoutMs = 300_000): Promise<RunningSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-bench-load-'));
  await chmod(dataDir, 0o755);
  const jwtSecret = 'bench-load-secret-bench-load-secret-0001';
  const launcher: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/launcher/src/start.ts'], {
    env: { ...process.env, SHOP_DATA_DIR: dataDir, SHOP_PORT_OFFSET: String(portOffset), GATEWAY_JWT_SECRET: jwtSecret },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(launcher, 'exit');
  const stop = async () => {
    if (launcher.exitCode === null) {
      launcher.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(join(dataDir, 'endpoints.json'))) {
    if (launcher.exitCode !== null || Date.now() > deadline) {
      const logs = join(dataDir, 'logs');
      await stop();
      throw new Error(`the system did not start (launcher ${launcher.exitCode === null ? 'timed out' : `exited ${launcher.exitCode}`}); logs were in ${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const ports = systemPorts(portOffset);
  return { address: (name) => serviceAddress(ports, name), jwtSecret, pid: launcher.pid!, stop };
}
