import { errors } from '@elastic/elasticsearch';
import { failedPrecondition, type DomainError, type StoreOutageClassifier } from '@shop/runtime';

/** Answers meaning the cluster cannot serve this service now: refused credentials, too busy (429), or no node able to answer. */
const unavailableStatuses = new Set([401, 429, 502, 503, 504]);

/**
 * Answers meaning the cluster refuses the request as the index stands: the alias points at no index or at one mapped
 * otherwise than the service's migrations build (400), or the service's user lacks a privilege on it (403). Retrying
 * cannot help until the index or the role is put right (for example by a rebuild, `RebuildIndex`).
 */
const refusalStatuses = new Set([400, 403, 404]);

interface ErrorCause {
  type?: string;
  reason?: string;
}

/** The most specific cause Elasticsearch gives: the first root cause, else the error itself. */
function causeOf(error: errors.ResponseError): string {
  const body = error.body as { error?: ErrorCause & { root_cause?: ErrorCause[] } } | undefined;
  const cause = body?.error?.root_cause?.[0] ?? body?.error;
  return cause?.type ? `${cause.type}: ${cause.reason ?? ''}` : error.message;
}

/** FAILED_PRECONDITION naming Elasticsearch and its reason when it refused the request as its index stands; undefined for any other error. */
export function elasticsearchRefusal(error: unknown, request: string): DomainError | undefined {
  if (!(error instanceof errors.ResponseError) || !refusalStatuses.has(error.statusCode ?? 0)) return undefined;
  return failedPrecondition(`elasticsearch refused the ${request}: ${causeOf(error)}`);
}

/** Elasticsearch outages: no connection, a timeout, no living node, or a refusing or unavailable cluster. */
export const elasticsearchOutage: StoreOutageClassifier = (error) => {
  const unreachable =
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError ||
    (error instanceof errors.ResponseError && unavailableStatuses.has(error.statusCode ?? 0));
  return unreachable ? { store: 'elasticsearch', reason: (error as Error).message } : undefined;
};
