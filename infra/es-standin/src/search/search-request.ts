import { illegalArgument, parsingError } from '../errors.js';
import { isObject, type JsonObject } from './query/clause-body.js';
import { parseHighlight, type HighlightRequest } from './highlight.js';
import { parseSort, type SortSpec } from './sort.js';
import { parseSourceFilter, type SourceFilter } from './source-filter.js';
import { uriQuery } from './query/query-string.js';

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
  /** `rest_total_hits_as_int`: `hits.total` as a plain number. */
  totalHitsAsInt: boolean;
}

const acceptedKeys = new Set([
  'query', 'post_filter', 'from', 'size', 'sort', 'search_after', 'track_total_hits', 'track_scores', 'min_score', '_source',
  'aggs', 'aggregations', 'highlight', 'version', 'seq_no_primary_term', 'timeout',
]);

/** Search body keys Elasticsearch implements and the stand-in does not. */
const unsupportedKeys = new Set([
  'explain', 'stored_fields', 'profile', 'terminate_after', 'indices_boost', 'runtime_mappings', 'fields', 'docvalue_fields', 'stats', 'collapse',
  'rescore', 'suggest', 'script_fields', 'pit', 'knn', 'rank', 'retriever', 'slice', 'ext', 'sub_searches', 'track_scores_', 'point_in_time',
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

/** The query the `q`, `df` and `default_operator` parameters stand for (undefined without `q`). */
export function queryFromParameters(parameters: URLSearchParams): unknown {
  const q = parameters.get('q');
  if (q === null) {
    const stray = ['df', 'default_operator'].find((name) => parameters.has(name));
    if (stray) throw illegalArgument(`[${stray}] only applies together with [q]; the es-standin refuses it without one`);
    return undefined;
  }
  return uriQuery(q, parameters.get('df'), parameters.get('default_operator'));
}

function totalHitsAsInt(parameters: URLSearchParams, trackTotalHits: unknown): boolean {
  const raw = parameters.get('rest_total_hits_as_int');
  if (raw === null || raw === 'false') return false;
  if (raw !== '' && raw !== 'true') throw illegalArgument(`Failed to parse value [${raw}] as only [true] or [false] are allowed.`);
  if (trackTotalHits !== undefined && ![true, false, 'true', 'false'].includes(trackTotalHits as string)) {
    throw illegalArgument(`[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ${String(trackTotalHits)}`);
  }
  return true;
}

/** Parses and validates a `_search` body and its query-string parameters. */
export function parseSearchRequest(body: JsonObject, parameters: URLSearchParams): SearchRequest {
  const unsupported = Object.keys(body).find((key) => unsupportedKeys.has(key));
  if (unsupported) throw illegalArgument(`[${unsupported}] is not supported by the es-standin (development/test stand-in for Elasticsearch)`);
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
  const trackTotalHits = body['track_total_hits'] ?? parameters.get('track_total_hits') ?? undefined;
  const asInt = totalHitsAsInt(parameters, trackTotalHits);
  return {
    query: queryFromParameters(parameters) ?? body['query'],
    postFilter: body['post_filter'],
    from,
    size,
    sort: parseSort(body['sort'] ?? parameters.get('sort') ?? undefined),
    searchAfter: body['search_after'],
    trackTotalHits: asInt && trackTotalHits === undefined ? true : trackTotalHitsOption(trackTotalHits),
    trackScores: body['track_scores'] === true || parameters.get('track_scores') === 'true',
    minScore: minScore === undefined ? undefined : Number(minScore),
    source: parseSourceFilter(body['_source'], parameters),
    aggregations: body['aggs'] ?? body['aggregations'],
    highlight: parseHighlight(body['highlight']),
    version: body['version'] === true || parameters.get('version') === 'true',
    seqNoPrimaryTerm: body['seq_no_primary_term'] === true || parameters.get('seq_no_primary_term') === 'true',
    totalHitsAsInt: asInt,
  };
}
