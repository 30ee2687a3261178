import { ConfigError } from './config.js';
import type { RunningServer } from './grpc/server.js';
import { shutdownTelemetry } from './telemetry/process-telemetry.js';

/**
 * Runs a service process: starts it, stops it gracefully on SIGTERM/SIGINT (exit 0, after flushing telemetry), and
 * exits 1 with one clear line on a configuration error or a failed start.
 */
export function runService(start: () => Promise<RunningServer>): void {
  start().then(
    (server) => {
      const stop = () => {
        const stopped = server.shutdown().then(() => shutdownTelemetry().catch(() => undefined));
        stopped.then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`shutdown failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      const message = error instanceof ConfigError ? error.message : `start failed: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`${message}\n`);
      process.exit(1);
    },
  );
}
