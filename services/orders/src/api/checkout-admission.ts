import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import { callersContext } from '@shop/runtime';
import { DomainError } from '@shop/runtime/errors';

/** Runs a checkout once admitted; a call whose signal aborts while it waits is dropped from the queue. */
export type CheckoutAdmission = <T>(checkout: () => Promise<T>, signal: AbortSignal) => Promise<T>;

/**
 * Admits at most `concurrency` checkouts at once; the others wait in arrival order, at most `queueLimit` of them,
 * beyond which a checkout is RESOURCE_EXHAUSTED. Admitted in order, a rush on one product finishes its first buyers'
 * sagas while the later ones wait, so those later buyers find the stock already gone and are rejected without a
 * reservation, instead of every buyer reserving side by side. A waiting checkout runs in its own caller's async context
 * (its call's deadline and trace), not in that of the checkout whose end admitted it.
 */
export function checkoutAdmission(concurrency: number, queueLimit: number): CheckoutAdmission {
  const policy = bulkhead(concurrency, queueLimit);
  return async (checkout, signal) => {
    const inCallersContext = callersContext();
    try {
      return await policy.execute(() => inCallersContext(checkout), signal);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) throw new DomainError('RESOURCE_EXHAUSTED', `orders is running ${concurrency} checkouts with ${queueLimit} waiting; retry later`);
      throw error;
    }
  };
}
