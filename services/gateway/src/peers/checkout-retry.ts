import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { remainingDeadlineMs } from '@shop/runtime';
import { DomainError } from '@shop/runtime/errors';

const MIN_REMAINING_MS = 2_500;

/** Whether orders could not be reached (down, restarting, or its circuit open) and the caller's deadline leaves room for another try. */
function worthRetrying(error: unknown): boolean {
  if (!(error instanceof DomainError) || error.code !== 'UNAVAILABLE' || error.message.endsWith('deadline exceeded')) return false;
  const remaining = remainingDeadlineMs();
  return remaining === undefined || remaining > MIN_REMAINING_MS;
}

/**
 * Retries of an order placement while orders cannot be reached: the same idempotency key is sent each time, so a
 * placement that did land before the failure is answered with that first order. About 8 s in all (within the
 * caller's deadline), enough for a supervised restart and the circuit's half-open trial.
 */
export const checkoutRetry = retry(handleWhen(worthRetrying), { maxAttempts: 6, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 2_000 }) });
