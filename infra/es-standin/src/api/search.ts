import type { Router } from '../http/router.js';
import type { RequestContext, Reply } from '../http/request-context.js';
import { executeCount, executeSearch, queryMatches } from '../search/execute.js';
import { parseSearchRequest } from '../search/search-request.js';

function search(context: RequestContext): Reply {
  const request = parseSearchRequest(context.jsonObject(), context.query);
  return { status: 200, body: executeSearch(context.cluster, context.params['index'], request) };
}

function count(context: RequestContext): Reply {
  return { status: 200, body: executeCount(context.cluster, context.params['index'], context.jsonObject()) };
}

function deleteByQuery(context: RequestContext): Reply {
  const started = Date.now();
  const { matches } = queryMatches(context.cluster, context.param('index'), context.jsonObject());
  for (const match of matches) match.index.deleteDocument(match.doc.id);
  return {
    status: 200,
    body: {
      took: Date.now() - started,
      timed_out: false,
      total: matches.length,
      deleted: matches.length,
      batches: matches.length > 0 ? 1 : 0,
      version_conflicts: 0,
      noops: 0,
      retries: { bulk: 0, search: 0 },
      throttled_millis: 0,
      requests_per_second: -1,
      throttled_until_millis: 0,
      failures: [],
    },
  };
}

/** `_search`, `_count` and `_delete_by_query`, with or without an index, by GET or POST. */
export function registerSearchRoutes(router: Router): void {
  router.on('POST', '/{index}/_delete_by_query', deleteByQuery);
  router.on(['GET', 'POST'], '/_search', search).on(['GET', 'POST'], '/{index}/_search', search);
  router.on(['GET', 'POST'], '/_count', count).on(['GET', 'POST'], '/{index}/_count', count);
}
