import { ConfigError } from './config.js';
import type { RunningServer } from './grpc/server.js';
import { shutdownTelemetry } from './telemetry/process-telemetry.js';

/** How long a SIGTERM received during start-up waits for the start to settle before the process exits anyway. */
const STOP_DURING_START_BOUND_MS = 10_000;

function shutdownAndExit(server: RunningServer): void {
  const stopped = server.shutdown().then(() => shutdownTelemetry().catch(() => undefined));
  stopped.then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`shutdown failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Runs a service process: starts it, stops it gracefully on SIGTERM/SIGINT (exit 0, after flushing telemetry), and
 * exits 1 with one clear line on a configuration error or a failed start. The signal handlers are installed before
 * the start begins: a signal during start-up lets the start settle (within a bound), then shuts down what it started.
 */
export function runService(start: () => Promise<RunningServer>): void {
  let server: RunningServer | undefined;
  let stopRequested = false;
  const stop = () => {
    if (stopRequested) return;
    stopRequested = true;
    if (server) return shutdownAndExit(server);
    process.stderr.write('stop requested during start-up: stopping once the start settles\n');
    setTimeout(() => {
      process.stderr.write(`start did not settle within ${STOP_DURING_START_BOUND_MS} ms of the stop request\n`);
      process.exit(1);
    }, STOP_DURING_START_BOUND_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  start().then(
    (started) => {
      server = started;
      if (stopRequested) shutdownAndExit(started);
    },
    (error: unknown) => {
      if (stopRequested) process.exit(0);
      const message = error instanceof ConfigError ? error.message : `start failed: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`${message}\n`);
      process.exit(1);
    },
  );
}

/**
 * Runs a one-shot command (a service's migrations, say): exit 0 once `work` resolves and telemetry is flushed, exit 1
 * with one line naming the command on a configuration error or a failure.
 */
export function runCommand(name: string, work: () => Promise<void>): void {
  work()
    .then(() => shutdownTelemetry().catch(() => undefined))
    .then(
      () => process.exit(0),
      (error: unknown) => {
        const message = error instanceof ConfigError ? error.message : `${name} failed: ${error instanceof Error ? error.message : String(error)}`;
        process.stderr.write(`${message}\n`);
        process.exit(1);
      },
    );
}
