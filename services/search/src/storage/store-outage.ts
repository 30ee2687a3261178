import { errors } from '@elastic/elasticsearch';
import type { StoreOutageClassifier } from '@shop/runtime';

/** Answers meaning the cluster cannot serve this service now: refused credentials, or no node able to answer. */
const unavailableStatuses = new Set([401, 502, 503, 504]);

/** Elasticsearch outages: no connection, a timeout, no living node, or a refusing or unavailable cluster. */
export const elasticsearchOutage: StoreOutageClassifier = (error) => {
  const unreachable =
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError ||
    (error instanceof errors.ResponseError && unavailableStatuses.has(error.statusCode ?? 0));
  return unreachable ? { store: 'elasticsearch', reason: (error as Error).message } : undefined;
};
