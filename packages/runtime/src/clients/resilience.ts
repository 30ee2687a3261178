import { Code, ConnectError } from '@connectrpc/connect';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  CircuitState,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { DomainError, unavailable } from '../errors.js';

/** Tuning of a dependency's retry and circuit breaker. */
export interface ResilienceOptions {
  /** Attempts after the first, for idempotent methods only. */
  readonly retries: number;
  /** Consecutive failures that open the circuit. */
  readonly breakerThreshold: number;
  /** How long the circuit stays open before the first trial call; each failed trial doubles it, up to breakerHalfOpenAfterMs. */
  readonly breakerFirstTrialAfterMs?: number;
  /** The longest the circuit stays open before one trial call. */
  readonly breakerHalfOpenAfterMs: number;
}

/**
 * Defaults: 2 retries with backoff, open after 5 consecutive failures, a first trial call after 0.5 s (a supervised
 * restart takes about that long), then 1 s, 2 s, … up to 5 s while the dependency stays down.
 */
export const defaultResilience: ResilienceOptions = { retries: 2, breakerThreshold: 5, breakerFirstTrialAfterMs: 500, breakerHalfOpenAfterMs: 5000 };

/** Whether the dependency could not be reached: UNAVAILABLE, or a connection-level system error (refused, reset). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof ConnectError)) return false;
  if (error.code === Code.Unavailable) return true;
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && /^E[A-Z]+$/.test(cause.code);
}

/**
 * A call that ran out of time with less than the client's budget: its caller's own deadline was nearly spent, or the
 * caller chose a shorter timeout for it (an optional part of a page). That measures the caller's wait, not the
 * dependency's health. A closed circuit does not count it, so callers who queued too long or waited briefly on
 * purpose cannot open the circuit for everyone else; the caller still gets UNAVAILABLE naming the dependency and why
 * the time was short. As the trial call of a half-open circuit it counts as a failed trial: the dependency that kept
 * failing did not answer in the time it had, so the circuit opens again instead of closing on a trial that proved nothing.
 */
export class CallerDeadlinePassed extends Error {
  constructor(
    readonly original: ConnectError,
    /** Why the call had less than the client's budget. */
    readonly shortBecause: string,
  ) {
    super(original.message);
  }
}

/** Whether an error means the dependency itself failed (as opposed to refusing the request). */
export function isDependencyFailure(error: unknown): boolean {
  return isUnreachable(error) || (error instanceof ConnectError && [Code.DeadlineExceeded, Code.Internal, Code.Unknown].includes(error.code));
}

/** The policies for one dependency: a shared circuit breaker, plus retries for idempotent calls. */
export function dependencyPolicies(options: ResilienceOptions): { idempotent: IPolicy; other: CircuitBreakerPolicy } {
  const failedTrial = (error: unknown) => error instanceof CallerDeadlinePassed && breaker.state === CircuitState.HalfOpen;
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen((error) => isDependencyFailure(error) || failedTrial(error)), {
    halfOpenAfter: new ExponentialBackoff({
      initialDelay: Math.min(options.breakerFirstTrialAfterMs ?? options.breakerHalfOpenAfterMs, options.breakerHalfOpenAfterMs),
      maxDelay: options.breakerHalfOpenAfterMs,
    }),
    breaker: new ConsecutiveBreaker(options.breakerThreshold),
  });
  const retries = retry(
    handleWhen(isUnreachable),
    { maxAttempts: options.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }) },
  );
  return { idempotent: wrap(retries, breaker), other: breaker };
}

/** Turns a failure of the dependency (unreachable, out of time, INTERNAL or UNKNOWN) into UNAVAILABLE naming it; refusals pass through. */
export function asDependencyError(dependency: string, error: unknown): unknown {
  if (error instanceof CallerDeadlinePassed) return new DomainError('UNAVAILABLE', `${dependency} unavailable: deadline exceeded (${error.shortBecause})`);
  if (error instanceof BrokenCircuitError) return unavailable(dependency, 'circuit open after repeated failures');
  if (error instanceof ConnectError && error.code === Code.DeadlineExceeded) {
    return new DomainError('UNAVAILABLE', `${dependency} unavailable: deadline exceeded`);
  }
  if (isUnreachable(error)) return unavailable(dependency, (error as ConnectError).rawMessage);
  if (error instanceof ConnectError && (error.code === Code.Internal || error.code === Code.Unknown)) return unavailable(dependency, `it failed: ${error.rawMessage}`);
  return error;
}
