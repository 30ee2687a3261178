import { parsingError } from '../../errors.js';
import { isObject, type JsonObject } from '../query/clause-body.js';
import type { Match } from '../hit.js';
import type { AggregationContext, AggregationRunner } from './aggregation.js';
import { bucketAggregations } from './buckets.js';
import { metricAggregations } from './metrics.js';

const runners: Record<string, AggregationRunner> = { ...bucketAggregations, ...metricAggregations };

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
