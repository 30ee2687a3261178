import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, noJitterGenerator, type IBackoff } from 'cockatiel';
import { supervise, waitUntilReady, type SuperviseOptions, type SupervisedProcess } from './supervisor.js';

/** How a crashed process is brought back. */
export interface RestartPolicy {
  /** Delay before the first restart; each further one doubles it, up to maxDelayMs. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Restarts in a row (without a stable run in between) before the process is given up as a crash loop. */
  readonly maxRestarts: number;
  /** A run at least this long resets the count and the delay. */
  readonly stableAfterMs: number;
  /** How long a restarted process may take to be ready again. */
  readonly readyTimeoutMs: number;
}

/** Defaults: 0.5 s, 1 s, 2 s, … up to 8 s; given up after 6 restarts with no 60 s stable run between them. */
export const defaultRestartPolicy: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 8_000, maxRestarts: 6, stableAfterMs: 60_000, readyTimeoutMs: 60_000 };

/** What a supervised process is doing. */
export type ProcessState = 'STARTING' | 'SERVING' | 'RESTARTING' | 'GAVE_UP' | 'STOPPED';

/** One change of a supervised process's state, with the line that tells a person about it. */
export interface ProcessEvent {
  readonly name: string;
  readonly state: ProcessState;
  readonly pid?: number;
  readonly restarts: number;
  readonly logFile: string;
  /** A one-line report for the console, when the change is worth telling. */
  readonly message?: string;
}

/** Supervision settings handed to the store and service starters: where events go, and the restart policy. */
export interface Supervision {
  readonly report: (event: ProcessEvent) => void;
  readonly policy?: RestartPolicy;
}

/** How to tell the process is ready: something accepts connections on the port and the probe passes. */
export interface Readiness {
  readonly port: number;
  readonly probe: () => Promise<void>;
  readonly timeoutMs?: number;
  /** Gives up waiting for the first start (and stops the process) once aborted; restarts do not heed it. */
  readonly signal?: AbortSignal;
}

/** How an exit status reads: "SIGKILL", "code 1". */
export function describeExit(status: number | null): string {
  if (status === null) return 'could not be started';
  if (status > 128) {
    const signal = Object.entries(constants.signals).find(([, number]) => number === status - 128)?.[0];
    if (signal) return signal;
  }
  return `code ${status}`;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * Starts the process and waits until it is ready. Without supervision that is all; with it, an exit nobody asked for
 * is reported and followed by a restart after a capped exponential backoff, until the restarts in a row pass the
 * policy's bound, when the process is given up naming its log file. stop() ends the restarts and stops the process.
 */
export async function startProcess(options: SuperviseOptions, readiness: Readiness, supervision?: Supervision): Promise<SupervisedProcess> {
  const spawnReady = async (signal?: AbortSignal) => {
    const process = supervise(options);
    await waitUntilReady(process, readiness.port, readiness.probe, readiness.timeoutMs, signal);
    return process;
  };
  const first = await spawnReady(readiness.signal);
  if (!supervision) return first;
  return keepRestarting(first, spawnReady, options, supervision);
}

function keepRestarting(first: SupervisedProcess, spawnReady: () => Promise<SupervisedProcess>, options: SuperviseOptions, supervision: Supervision): SupervisedProcess {
  const policy = supervision.policy ?? defaultRestartPolicy;
  const { name, logFile } = options;
  const schedule = new ExponentialBackoff({ initialDelay: policy.initialDelayMs, maxDelay: policy.maxDelayMs, generator: noJitterGenerator });
  let current = first;
  let stopping = false;
  const stopped = new AbortController();
  let restarts = 0;
  const report = (state: ProcessState, message?: string) =>
    supervision.report({ name, state, restarts, logFile, ...(current.pid() === undefined ? {} : { pid: current.pid()! }), ...(message ? { message } : {}) });
  report('SERVING');

  const watch = async (): Promise<void> => {
    let backoff: IBackoff<unknown> | undefined;
    let inARow = 0;
    for (;;) {
      const upSince = Date.now();
      const status = await current.exited;
      if (stopping) return report('STOPPED');
      const crashedAt = Date.now();
      if (crashedAt - upSince >= policy.stableAfterMs) {
        inARow = 0;
        backoff = undefined;
      }
      let cause = describeExit(status);
      for (;;) {
        inARow += 1;
        if (inARow > policy.maxRestarts) {
          return report('GAVE_UP', `${name} keeps crashing (${cause}, ${inARow - 1} restarts in a row); given up, see ${logFile}`);
        }
        backoff = backoff ? backoff.next(undefined) : schedule.next();
        report('RESTARTING', `${name} exited (${cause}); restarting in ${seconds(backoff.duration)}`);
        await sleep(backoff.duration, undefined, { signal: stopped.signal }).catch(() => undefined);
        if (stopping) return report('STOPPED');
        try {
          current = await spawnReady();
        } catch (error) {
          cause = `restart failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
          continue;
        }
        if (stopping) {
          await current.stop();
          return report('STOPPED');
        }
        restarts += 1;
        report('SERVING', `${name} SERVING again after ${seconds(Date.now() - crashedAt)}`);
        break;
      }
    }
  };
  const watching = watch();

  return {
    name,
    logFile,
    exited: watching.then(() => current.exitCode() ?? null),
    exitCode: () => (stopping ? current.exitCode() : undefined),
    pid: () => current.pid(),
    stop: async () => {
      stopping = true;
      stopped.abort();
      await current.stop();
      await watching;
    },
    kill: () => current.kill(),
  };
}
