import { Code, ConnectError } from '@connectrpc/connect';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { DomainError, unavailable } from '../errors.js';

/** Tuning of a dependency's retry and circuit breaker. */
export interface ResilienceOptions {
  /** Attempts after the first, for idempotent methods only. */
  readonly retries: number;
  /** Consecutive failures that open the circuit. */
  readonly breakerThreshold: number;
  /** How long the circuit stays open before one trial call. */
  readonly breakerHalfOpenAfterMs: number;
}

/** Defaults: 2 retries with backoff, open after 5 consecutive failures, retry after 5 s. */
export const defaultResilience: ResilienceOptions = { retries: 2, breakerThreshold: 5, breakerHalfOpenAfterMs: 5000 };

/** Whether an error means the dependency itself failed (as opposed to refusing the request). */
export function isDependencyFailure(error: unknown): boolean {
  return error instanceof ConnectError && [Code.Unavailable, Code.DeadlineExceeded, Code.Internal, Code.Unknown].includes(error.code);
}

/** The policies for one dependency: a shared circuit breaker, plus retries for idempotent calls. */
export function dependencyPolicies(options: ResilienceOptions): { idempotent: IPolicy; other: IPolicy } {
  const breaker = circuitBreaker(handleWhen(isDependencyFailure), {
    halfOpenAfter: options.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breakerThreshold),
  });
  const retries = retry(
    handleWhen((error) => error instanceof ConnectError && error.code === Code.Unavailable),
    { maxAttempts: options.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }) },
  );
  return { idempotent: wrap(retries, breaker), other: breaker };
}

/** Turns a failure of the dependency into UNAVAILABLE naming it; other errors pass through. */
export function asDependencyError(dependency: string, error: unknown): unknown {
  if (error instanceof BrokenCircuitError) return unavailable(dependency, 'circuit open after repeated failures');
  if (error instanceof ConnectError && error.code === Code.DeadlineExceeded) {
    return new DomainError('UNAVAILABLE', `${dependency} unavailable: deadline exceeded`);
  }
  if (error instanceof ConnectError && error.code === Code.Unavailable) return unavailable(dependency, error.rawMessage);
  return error;
}
