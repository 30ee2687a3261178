import { indicesOptions } from '../http/parameters.js';
import type { Router } from '../http/router.js';
import type { RequestContext, Reply } from '../http/request-context.js';
import { executeCount, executeSearch, queryMatches } from '../search/execute.js';
import { resolveTermsLookups, type LookupSource } from '../search/query/terms-lookup.js';
import { parseSearchRequest } from '../search/search-request.js';
import { indexActions } from '../security/index-actions.js';

const searchParameters = [
  'q', 'df', 'default_operator', 'from', 'size', 'sort', '_source', '_source_includes', '_source_excludes', 'track_total_hits', 'track_scores',
  'min_score', 'version', 'seq_no_primary_term', 'rest_total_hits_as_int', ...indicesOptions, 'routing', 'timeout', 'preference',
];
const countParameters = ['q', 'df', 'default_operator', ...indicesOptions, 'routing', 'preference'];
const deleteByQueryParameters = ['q', 'df', 'default_operator', ...indicesOptions, 'routing', 'refresh', 'timeout'];

/** Terms lookups read the named document as a get by the request's user would (authorized, through an alias to one index). */
function lookupSource(context: RequestContext): LookupSource {
  return (index, id) => {
    context.access.authorize(indexActions.get, index);
    return context.cluster.resolveSingle(index).documents.get(id)?.source;
  };
}

function withLookupsResolved(context: RequestContext, body: Record<string, unknown>): Record<string, unknown> {
  return body['query'] === undefined ? body : { ...body, query: resolveTermsLookups(body['query'], lookupSource(context)) };
}

function search(context: RequestContext): Reply {
  const request = parseSearchRequest(context.jsonObject(), context.query);
  const fetch = lookupSource(context);
  request.query = resolveTermsLookups(request.query, fetch);
  request.postFilter = resolveTermsLookups(request.postFilter, fetch);
  return { status: 200, body: executeSearch(context.cluster, context.params['index'], request, context.resolveOptions()) };
}

function count(context: RequestContext): Reply {
  return { status: 200, body: executeCount(context.cluster, context.params['index'], withLookupsResolved(context, context.jsonObject()), context.query, context.resolveOptions()) };
}

function deleteByQuery(context: RequestContext): Reply {
  const started = Date.now();
  const { matches } = queryMatches(context.cluster, context.param('index'), withLookupsResolved(context, context.jsonObject()), context.query, context.resolveOptions());
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
  router.on('POST', '/{index}/_delete_by_query', deleteByQuery, deleteByQueryParameters);
  router.on(['GET', 'POST'], '/_search', search, searchParameters).on(['GET', 'POST'], '/{index}/_search', search, searchParameters);
  router.on(['GET', 'POST'], '/_count', count, countParameters).on(['GET', 'POST'], '/{index}/_count', count, countParameters);
}
