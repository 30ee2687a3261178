import { DomainError, unavailable } from '../errors.js';

/**
 * Recognises an outage of a service's store in an error its driver threw: returns the store's name (for example
 * `mongodb`) and a short reason when the store could not be reached, undefined for any other error.
 */
export type StoreOutageClassifier = (error: unknown) => { store: string; reason: string } | undefined;

/** The error a caller sees: UNAVAILABLE naming the store for an outage, the error itself otherwise. */
export function asStoreOutage(error: unknown, classifiers: readonly StoreOutageClassifier[]): unknown {
  if (error instanceof DomainError) return error;
  for (const classify of classifiers) {
    const outage = classify(error);
    if (outage) return unavailable(outage.store, outage.reason);
  }
  return error;
}
