import { illegalArgument, parsingError } from '../errors.js';
import { isObject, type JsonObject } from './query/clause-body.js';
import { parseHighlight, type HighlightRequest } from './highlight.js';
import { parseSort, type SortSpec } from './sort.js';
import { parseSourceFilter, type SourceFilter } from './source-filter.js';

/** A parsed `_search` request. */
export interface SearchRequest {
  query: unknown;
  postFilter: unknown;
  from: number;
  size: number;
  sort: SortSpec[];
  searchAfter: unknown;
  trackTotalHits: boolean | number;
  trackScores: boolean;
  minScore: number | undefined;
  source: SourceFilter;
  aggregations: unknown;
  highlight: HighlightRequest | undefined;
  version: boolean;
  seqNoPrimaryTerm: boolean;
}

const acceptedKeys = new Set([
  'query', 'post_filter', 'from', 'size', 'sort', 'search_after', 'track_total_hits', 'track_scores', 'min_score', '_source',
  'aggs', 'aggregations', 'highlight', 'version', 'seq_no_primary_term', 'timeout', 'explain', 'stored_fields', 'profile',
  'terminate_after', 'indices_boost', 'runtime_mappings', 'fields', 'docvalue_fields', 'stats',
]);

const maxResultWindow = 10_000;

function numberOption(body: JsonObject, parameters: URLSearchParams, key: string, fallback: number): number {
  const raw = body[key] ?? parameters.get(key) ?? fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw illegalArgument(`[${key}] parameter cannot be negative or fractional, found [${String(raw)}]`);
  return value;
}

function trackTotalHitsOption(raw: unknown): boolean | number {
  if (raw === undefined || raw === null) return maxResultWindow;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  const limit = Number(raw);
  if (!Number.isInteger(limit)) throw illegalArgument(`[track_total_hits] must be a boolean or an integer, got [${String(raw)}]`);
  return limit;
}

function queryFromParameter(q: string | null): unknown {
  if (q === null) return undefined;
  const colon = q.indexOf(':');
  if (colon > 0) return { match: { [q.slice(0, colon)]: q.slice(colon + 1) } };
  return { multi_match: { query: q, fields: ['*'] } };
}

/** Parses and validates a `_search` body and its query-string parameters. */
export function parseSearchRequest(body: JsonObject, parameters: URLSearchParams): SearchRequest {
  const unknown = Object.keys(body).find((key) => !acceptedKeys.has(key));
  if (unknown) throw parsingError(`Unknown key for a ${isObject(body[unknown]) ? 'START_OBJECT' : 'VALUE'} in [${unknown}].`);
  const from = numberOption(body, parameters, 'from', 0);
  const size = numberOption(body, parameters, 'size', 10);
  if (from + size > maxResultWindow) {
    throw illegalArgument(
      `Result window is too large, from + size must be less than or equal to: [${maxResultWindow}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets.`,
    );
  }
  const minScore = body['min_score'] ?? parameters.get('min_score') ?? undefined;
  return {
    query: body['query'] ?? queryFromParameter(parameters.get('q')),
    postFilter: body['post_filter'],
    from,
    size,
    sort: parseSort(body['sort'] ?? parameters.get('sort') ?? undefined),
    searchAfter: body['search_after'],
    trackTotalHits: trackTotalHitsOption(body['track_total_hits'] ?? parameters.get('track_total_hits')),
    trackScores: body['track_scores'] === true || parameters.get('track_scores') === 'true',
    minScore: minScore === undefined ? undefined : Number(minScore),
    source: parseSourceFilter(body['_source'], parameters),
    aggregations: body['aggs'] ?? body['aggregations'],
    highlight: parseHighlight(body['highlight']),
    version: body['version'] === true || parameters.get('version') === 'true',
    seqNoPrimaryTerm: body['seq_no_primary_term'] === true || parameters.get('seq_no_primary_term') === 'true',
  };
}
