import { startProcess, type SuperviseOptions, type SupervisedProcess, type Supervision } from '@shop/local-stack';
import { healthStatus } from '@shop/runtime';

const START_TIMEOUT_MS = 60_000;

/** Resolves when the server at the address reports SERVING on grpc.health.v1; rejects with the status it reports otherwise. */
export async function servingProbe(address: string): Promise<void> {
  const status = await healthStatus(address);
  if (status !== 'SERVING') throw new Error(`${address} reports ${status}`);
}

/**
 * Starts a service process, ready once it reports SERVING; with supervision it is restarted whenever it crashes. An
 * abort of the signal before it is ready stops it and rejects with the signal's reason.
 */
export async function startServiceProcess(options: SuperviseOptions, address: string, supervision?: Supervision, signal?: AbortSignal): Promise<SupervisedProcess> {
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  return startProcess(options, { port, probe: () => servingProbe(address), timeoutMs: START_TIMEOUT_MS, ...(signal ? { signal } : {}) }, supervision);
}
