import { EsError, parsingError } from '../../errors.js';
import { isObject, type JsonObject } from '../query/clause-body.js';
import type { Match } from '../hit.js';
import type { AggregationContext, AggregationRunner } from './aggregation.js';
import { bucketAggregations } from './buckets.js';
import { metricAggregations } from './metrics.js';

const runners: Record<string, AggregationRunner> = { ...bucketAggregations, ...metricAggregations };
const metricTypes = new Set(Object.keys(metricAggregations));

/** The options each aggregation implements (`filter` takes a query and is checked as one). */
const aggregationOptions: Record<string, readonly string[]> = {
  terms: ['field', 'size', 'order', 'min_doc_count', 'shard_size', 'execution_hint', 'collect_mode'],
  range: ['field', 'ranges', 'keyed'],
  min: ['field'],
  max: ['field'],
  avg: ['field'],
  sum: ['field'],
  stats: ['field'],
  value_count: ['field'],
  cardinality: ['field', 'precision_threshold'],
};

function nestedOf(definition: JsonObject): unknown {
  return definition['aggs'] ?? definition['aggregations'];
}

function runOne(name: string, definition: unknown, matches: Match[], context: AggregationContext): JsonObject {
  if (!isObject(definition)) throw parsingError(`Expected [START_OBJECT] under [${name}], but got a [VALUE_STRING] in [${name}]`);
  const { aggs, aggregations, meta, ...rest } = definition;
  const entries = Object.entries(rest);
  const [entry] = entries;
  if (!entry) throw parsingError(`Missing definition for aggregation [${name}]`);
  if (entries.length > 1) throw parsingError(`Found two aggregation type definitions in [${name}]: [${entry[0]}] and [${entries[1]![0]}]`);
  const [type, body] = entry;
  const runner = runners[type];
  if (!runner) throw parsingError(`Unknown aggregation type [${type}]`);
  const allowed = aggregationOptions[type];
  const unknown = allowed && isObject(body) ? Object.keys(body).find((key) => !allowed.includes(key)) : undefined;
  if (unknown) throw parsingError(`[${type}] unknown field [${unknown}]`);
  if (nestedOf(definition) !== undefined && metricTypes.has(type)) {
    throw new EsError(400, 'aggregation_initialization_exception', `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
  }
  const nested = aggs ?? aggregations;
  const result = runner(isObject(body) ? body : {}, matches, context, (bucketMatches) => runAggregations(nested, bucketMatches, context));
  return meta === undefined ? result : { meta, ...result };
}

/** Computes the `aggregations` section of a search reply (terms, range, filter, min, max, avg, sum, stats, value_count, cardinality). */
export function runAggregations(definitions: unknown, matches: Match[], context: AggregationContext): JsonObject {
  if (definitions === undefined) return {};
  if (!isObject(definitions)) throw parsingError('Aggregation definition must be an object');
  return Object.fromEntries(Object.entries(definitions).map(([name, definition]) => [name, runOne(name, definition, matches, context)]));
}
