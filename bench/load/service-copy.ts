import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { nodeProcessRunning, processArguments, processEnvironment } from './process-cpu.js';

/** A second copy of one of the system's services, started by a bench. */
export interface ServiceCopy {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly address: string;
  /** Stops it (SIGTERM) and waits for it to exit; SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export type CopiedService = 'products' | 'gateway' | 'search';

/**
 * Starts a copy of a service of the running system with the command line (V8 flags, telemetry preload) and environment
 * of the system's own process, on free ports, with `overrides` over that environment; resolves with its address once
 * it logs that it listens.
 */
export async function startServiceCopy(systemPid: number, name: CopiedService, overrides: Readonly<Record<string, string>> = {}): Promise<ServiceCopy> {
  const pid = nodeProcessRunning(systemPid, `services/${name}/dist/main.js`);
  const freePorts = { PRODUCTS_PORT: '0', SEARCH_PORT: '0', GATEWAY_GRPC_PORT: '0', GATEWAY_HTTP_PORT: '0', OTEL_EXPORTER_PROMETHEUS_PORT: '0' };
  const started = spawn(process.execPath, processArguments(pid), { env: { ...processEnvironment(pid), ...freePorts, ...overrides }, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (started.exitCode !== null || started.signalCode !== null) return;
    const exited = once(started, 'exit');
    started.kill('SIGTERM');
    const killer = setTimeout(() => started.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  let output = '';
  let address: string | undefined;
  // Its log is read until it listens, then drained unread (a bench's load would otherwise pile it up here).
  started.stdout!.on('data', (chunk: Buffer) => {
    if (address !== undefined) return;
    output += chunk.toString();
    address = /"address":"([^"]+)"[^\n]*"msg":"listening"/.exec(output)?.[1];
  });
  for (const deadline = Date.now() + 120_000; address === undefined; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (started.exitCode !== null || Date.now() > deadline) {
      // Told before stopping it, which gives a copy that did not listen an exit code of its own.
      const failure = started.exitCode === null ? 'did not listen within 120 s' : `exited with code ${started.exitCode} before listening`;
      await stop();
      throw new Error(`the ${name} copy ${failure}`);
    }
  }
  return { process: started, pid: started.pid!, address, stop };
}
