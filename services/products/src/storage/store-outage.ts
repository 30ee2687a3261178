import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import type { StoreOutageClassifier } from '@shop/runtime';

/** Recognises the mongodb driver's errors for a server it cannot reach: UNAVAILABLE naming mongodb. */
export const mongoOutage: StoreOutageClassifier = (error) => {
  const unreachable =
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError;
  return unreachable ? { store: 'mongodb', reason: error.message } : undefined;
};
