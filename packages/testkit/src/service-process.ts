import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { supervise } from '@shop/local-stack';
import { serviceNodeArgs, waitUntilServing } from '@shop/runtime';
import { eventually } from './eventually.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A service running as its own process, as in production; it dies with the process that started it. */
export interface ServiceProcess {
  /** host:port it listens on. */
  readonly address: string;
  /** Everything the process wrote so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL (a crash) and resolves once it is gone. */
  kill(): Promise<void>;
}

const listening = /"address":"([^"]+)"[^\n]*"msg":"listening"|"msg":"listening"[^\n]*"address":"([^"]+)"/;

/** The compiled entry point of a service (setup builds it), run as in production with source maps for stack traces. */
export function compiledServiceArgs(name: string): string[] {
  const bundle = join(repoRoot, `services/${name}/dist/main.js`);
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run setup (or npm run build) to compile the services`);
  return [...serviceNodeArgs(), bundle];
}

/**
 * Starts the compiled services/<name>/dist/main.js with the given environment (set its port variable to 0) under a watchdog, and
 * resolves once it logged its address and answers grpc.health.v1 with SERVING.
 */
export async function startServiceProcess(name: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ServiceProcess> {
  const logFile = join(mkdtempSync(join(tmpdir(), `shop-${name}-`)), `${name}.log`);
  const process_ = supervise({
    name,
    command: process.execPath,
    args: compiledServiceArgs(name),
    stopSignal: 'TERM',
    logFile,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  const output = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const handle = {
    output,
    stop: async () => {
      await process_.stop();
      return process_.exitCode() ?? null;
    },
    kill: () => process_.kill(),
  };
  const address = await addressOf(name, output, () => process_.exitCode() !== undefined, readyTimeoutMs).catch(async (error: unknown) => {
    await process_.kill();
    throw error;
  });
  const service: ServiceProcess = { address, ...handle };
  try {
    await waitUntilServing(address, readyTimeoutMs);
  } catch (error) {
    await service.kill();
    throw new Error(`${String(error)}:\n${service.output()}`);
  }
  return service;
}

function addressOf(name: string, output: () => string, exited: () => boolean, timeoutMs: number): Promise<string> {
  return eventually(
    () => {
      const match = listening.exec(output());
      if (match) return (match[1] ?? match[2])!;
      if (exited()) throw new ExitedError(`${name} exited before listening:\n${output()}`);
      return undefined;
    },
    { description: `${name} to listen`, timeoutMs, intervalMs: 50, fatal: (failure) => failure instanceof ExitedError },
  ).catch((error: unknown) => {
    throw error instanceof ExitedError ? error : new Error(`${String(error)}:\n${output()}`);
  });
}

/** The process ended before it listened: no point waiting longer. */
class ExitedError extends Error {}
