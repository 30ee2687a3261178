import type { Router } from '../http/router.js';
import type { RequestContext, Reply } from '../http/request-context.js';
import { executeCount, executeSearch } from '../search/execute.js';
import { parseSearchRequest } from '../search/search-request.js';

function search(context: RequestContext): Reply {
  const request = parseSearchRequest(context.jsonObject(), context.query);
  return { status: 200, body: executeSearch(context.cluster, context.params['index'], request) };
}

function count(context: RequestContext): Reply {
  return { status: 200, body: executeCount(context.cluster, context.params['index'], context.jsonObject()) };
}

/** `_search` and `_count`, with or without an index, by GET or POST. */
export function registerSearchRoutes(router: Router): void {
  router.on(['GET', 'POST'], '/_search', search).on(['GET', 'POST'], '/{index}/_search', search);
  router.on(['GET', 'POST'], '/_count', count).on(['GET', 'POST'], '/{index}/_count', count);
}
