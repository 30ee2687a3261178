import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { unavailable } from '@shop/runtime';

/** A store failure as the caller should see it: UNAVAILABLE naming MongoDB when the server cannot be reached, else unchanged. */
export function asStoreFailure(error: unknown): unknown {
  const unreachable =
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError;
  return unreachable ? unavailable('mongodb', error.message) : error;
}
