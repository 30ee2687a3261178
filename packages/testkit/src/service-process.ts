import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitUntilServing } from '@shop/runtime';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A service running as its own process, as in production. */
export interface ServiceProcess {
  /** host:port it listens on. */
  readonly address: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL (a crash) and resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts services/<name>/src/main.ts with the given environment (set its port variable to 0) and resolves once it
 * logged its address and answers grpc.health.v1 with SERVING.
 */
export async function startServiceProcess(name: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const address = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"address":"([^"]+)"[^\n]*"msg":"listening"|"msg":"listening"[^\n]*"address":"([^"]+)"/.exec(output);
      if (match) resolve((match[1] ?? match[2])!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`${name} did not listen within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs).unref();
  });
  const handle: ServiceProcess = {
    address: await address.catch(async (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    }),
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  await waitForServing(handle, readyTimeoutMs);
  return handle;
}

async function waitForServing(service: ServiceProcess, timeoutMs: number): Promise<void> {
  try {
    await waitUntilServing(service.address, timeoutMs);
  } catch (error) {
    await service.kill();
    throw new Error(`${String(error)}:\n${service.output()}`);
  }
}
