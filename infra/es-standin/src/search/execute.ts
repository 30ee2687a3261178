import { EsError, parsingError, searchPhaseFailure } from '../errors.js';
import { defaultResolveOptions, type Cluster, type ResolveOptions } from '../store/cluster.js';
import type { EsIndex } from '../store/es-index.js';
import { runAggregations } from './aggregations/run.js';
import { highlightHit } from './highlight.js';
import type { Match } from './hit.js';
import { compileQuery } from './query/compile.js';
import type { HighlightTerms, Query } from './query/query.js';
import { isObject, type JsonObject } from './query/clause-body.js';
import { queryFromParameters, type SearchRequest } from './search-request.js';
import { sortsByScore, sortValues, topMatches, validateSortFields } from './sort.js';
import { filterSource } from './source-filter.js';

const shards = (count: number) => ({ total: count, successful: count, skipped: 0, failed: 0 });
const parseErrorTypes = new Set(['parsing_exception', 'x_content_parse_exception']);

interface CompiledIndex {
  index: EsIndex;
  query: Query;
}

function compileFor(indices: EsIndex[], query: unknown): CompiledIndex[] {
  return indices.map((index) => ({ index, query: compileQuery(query ?? { match_all: {} }, index) }));
}

function findMatches(compiled: CompiledIndex[], minScore: number | undefined): Match[] {
  const matches: Match[] = [];
  for (const { index, query } of compiled) {
    const scores = query.scores?.();
    if (scores) {
      scores.docs.forEach((docNo, position) => {
        const score = scores.scores[position]!;
        if (minScore === undefined || score >= minScore) matches.push({ index, doc: index.documents.numberedDoc(docNo)!, score, order: matches.length });
      });
      continue;
    }
    const candidates = query.candidates?.();
    const docs = candidates === undefined ? index.documents.all() : index.documents.numbered(candidates);
    for (const doc of docs) {
      const score = query.score(doc);
      if (score === undefined || (minScore !== undefined && score < minScore)) continue;
      matches.push({ index, doc, score, order: matches.length });
    }
  }
  return matches;
}

function totalHits(count: number, track: boolean | number): JsonObject | undefined {
  if (track === false) return undefined;
  if (track === true || count <= track) return { value: count, relation: 'eq' };
  return { value: track, relation: 'gte' };
}

/** Runs a search body phase, wrapping execution failures (not parse failures) as shard failures like Elasticsearch. */
function asShardFailure<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof EsError && !parseErrorTypes.has(error.type)) throw searchPhaseFailure(error);
    throw error;
  }
}

function buildHit(match: Match, request: SearchRequest, showScore: boolean, highlightTerms: Map<EsIndex, HighlightTerms>): JsonObject {
  const source = filterSource(match.doc.source, request.source);
  const highlight = request.highlight && highlightHit(request.highlight, match.index, match.doc, highlightTerms.get(match.index) ?? new Map());
  return {
    _index: match.index.name,
    _id: match.doc.id,
    ...(match.doc.routing === undefined ? {} : { _routing: match.doc.routing }),
    ...(request.version ? { _version: match.doc.version } : {}),
    ...(request.seqNoPrimaryTerm ? { _seq_no: match.doc.seqNo, _primary_term: match.doc.primaryTerm } : {}),
    _score: showScore ? match.score : null,
    ...(source === undefined ? {} : { _source: source }),
    ...(highlight ? { highlight } : {}),
    ...(request.sort.length > 0 ? { sort: sortValues(match, request.sort) } : {}),
  };
}

/** Executes `_search` over the indices an expression names and builds the reply body. */
export function executeSearch(cluster: Cluster, expression: string | undefined, request: SearchRequest, options: ResolveOptions = defaultResolveOptions): JsonObject {
  const started = Date.now();
  const indices = cluster.resolve(expression, options);
  return asShardFailure(() => {
    const compiled = compileFor(indices, request.query);
    const postFilters = request.postFilter === undefined ? undefined : compileFor(indices, request.postFilter);
    validateSortFields(request.sort, indices);
    const matches = findMatches(compiled, request.minScore);
    const aggregations = runAggregations(request.aggregations, matches, { compileFilter: compileQuery });
    const filtered = postFilters
      ? matches.filter((match) => postFilters.find((entry) => entry.index === match.index)!.query.score(match.doc) !== undefined)
      : matches;
    const page = topMatches(filtered, request.sort, request.searchAfter, request.from + request.size).slice(request.from);
    const showScore = sortsByScore(request.sort) || request.trackScores;
    const highlightTerms = new Map(compiled.map(({ index, query }) => [index, collectTerms(query)]));
    const tracked = totalHits(filtered.length, request.trackTotalHits);
    const total = request.totalHitsAsInt && tracked ? tracked.value : tracked;
    return {
      took: Date.now() - started,
      timed_out: false,
      _shards: shards(indices.length),
      hits: {
        ...(total === undefined ? {} : { total }),
        max_score: showScore && filtered.length > 0 ? maxScore(filtered) : null,
        hits: page.map((match) => buildHit(match, request, showScore, highlightTerms)),
      },
      ...(request.aggregations === undefined ? {} : { aggregations }),
    };
  });
}

function maxScore(matches: Match[]): number {
  let best = -Infinity;
  for (const match of matches) best = Math.max(best, match.score);
  return best;
}

function collectTerms(query: Query): HighlightTerms {
  const terms: HighlightTerms = new Map();
  query.collectHighlightTerms(terms);
  return terms;
}

/** The documents a `{ query }` body (only) matches over the indices an expression names. */
export function queryMatches(
  cluster: Cluster,
  expression: string | undefined,
  body: JsonObject,
  parameters: URLSearchParams,
  options: ResolveOptions = defaultResolveOptions,
): { indices: EsIndex[]; matches: Match[] } {
  const unknown = Object.keys(body).find((key) => key !== 'query');
  if (unknown) throw parsingError(`request does not support [${unknown}]`);
  if (body['query'] !== undefined && !isObject(body['query'])) throw parsingError('[query] must be an object');
  const query = queryFromParameters(parameters) ?? body['query'];
  const indices = cluster.resolve(expression, options);
  return { indices, matches: asShardFailure(() => findMatches(compileFor(indices, query), undefined)) };
}

/** Executes `_count` and builds the reply body. */
export function executeCount(cluster: Cluster, expression: string | undefined, body: JsonObject, parameters: URLSearchParams, options?: ResolveOptions): JsonObject {
  const { indices, matches } = queryMatches(cluster, expression, body, parameters, options);
  return { count: matches.length, _shards: shards(indices.length) };
}
