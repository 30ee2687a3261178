import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { DomainError } from '@shop/runtime/errors';

/**
 * Retries of an order placement while orders is unavailable (restarting, or its circuit open): the same idempotency
 * key is sent each time, so a placement that did land before the failure is answered with that first order.
 * About 8 s in all, enough for a supervised restart and the circuit's half-open trial.
 */
export const checkoutRetry = retry(
  handleWhen((error) => error instanceof DomainError && error.code === 'UNAVAILABLE'),
  { maxAttempts: 6, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 2_000 }) },
);
