import type { Server } from '@grpc/grpc-js';
import { HealthStatuses } from './health-service.js';
import type { Logger } from 'pino';

/** A check of something the service needs, such as its own store; it throws when that is unreachable. */
export type HealthCheck = () => Promise<void>;

/** grpc.health.v1 for the whole server ("") and each service: SERVING only while every check passes and not shutting down. */
export class ServiceHealth {
  private readonly health = new HealthStatuses();
  private timer: NodeJS.Timeout | undefined;
  private shuttingDown = false;
  private lastHealthy: boolean | undefined;

  constructor(
    private readonly serviceNames: readonly string[],
    private readonly checks: Record<string, HealthCheck>,
    private readonly logger: Logger,
  ) {
    this.setAll('NOT_SERVING');
  }

  /** Registers the health service on the server. */
  addToServer(server: Server): void {
    this.health.addToServer(server);
  }

  /** Runs the checks now and then every intervalMs. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  /** Reports NOT_SERVING from now on. */
  markShuttingDown(): void {
    this.shuttingDown = true;
    if (this.timer) clearInterval(this.timer);
    this.setAll('NOT_SERVING');
  }

  private async refresh(): Promise<void> {
    const failures = await this.failingChecks();
    if (this.shuttingDown) return;
    const healthy = failures.length === 0;
    if (healthy !== this.lastHealthy) {
      if (healthy) this.logger.info('serving');
      else this.logger.warn({ failing: failures }, 'not serving: a dependency is unreachable');
    }
    this.lastHealthy = healthy;
    this.setAll(healthy ? 'SERVING' : 'NOT_SERVING');
  }

  private async failingChecks(): Promise<string[]> {
    const names = Object.keys(this.checks);
    const results = await Promise.allSettled(names.map((name) => withTimeout(this.checks[name]!(), 2000)));
    return names.filter((_, index) => results[index]?.status === 'rejected');
  }

  private setAll(status: 'SERVING' | 'NOT_SERVING'): void {
    for (const name of ['', ...this.serviceNames]) this.health.setStatus(name, status);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`check timed out after ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
