import { formatDate } from '../../mapping/dates.js';
import type { IndexedValue } from '../../mapping/field-values.js';
import { illegalArgument, parsingError } from '../../errors.js';
import { compareScalars as compareKeys } from '../../json.js';
import { isObject, type JsonObject } from '../query/clause-body.js';
import type { Match } from '../hit.js';
import type { Query } from '../query/query.js';
import type { EsIndex } from '../../store/es-index.js';
import { aggregatedField, docValuesOf, fieldOption, type AggregationRunner } from './aggregation.js';

interface TermBucket {
  key: IndexedValue;
  matches: Match[];
}

function groupByValue(matches: Match[], field: string): TermBucket[] {
  const groups = new Map<IndexedValue, Match[]>();
  const valuesOf = docValuesOf(field);
  for (const match of matches) {
    const values = valuesOf(match);
    for (const value of values.length === 1 ? values : new Set(values)) {
      const group = groups.get(value);
      if (group) group.push(match);
      else groups.set(value, [match]);
    }
  }
  return [...groups].map(([key, bucketMatches]) => ({ key, matches: bucketMatches }));
}

function termsOrder(order: unknown): (a: TermBucket, b: TermBucket) => number {
  const [[by, direction] = ['_count', 'desc']] = isObject(order) ? Object.entries(order) : [];
  const sign = String(direction) === 'asc' ? 1 : -1;
  if (by === '_key') return (a, b) => sign * compareKeys(a.key, b.key);
  if (by !== '_count') throw illegalArgument(`Invalid aggregation order path [${by}]. The stand-in orders terms buckets by _count or _key only.`);
  return (a, b) => sign * (a.matches.length - b.matches.length) || compareKeys(a.key, b.key);
}

const terms: AggregationRunner = (body, matches, _context, subAggregations) => {
  const field = fieldOption(body, 'terms');
  const mapping = aggregatedField(matches, field);
  const size = Number(body['size'] ?? 10);
  const minDocCount = Number(body['min_doc_count'] ?? 1);
  const buckets = groupByValue(matches, field)
    .filter((bucket) => bucket.matches.length >= minDocCount)
    .sort(termsOrder(body['order']));
  const shown = buckets.slice(0, size);
  const hiddenDocs = buckets.slice(size).reduce((total, bucket) => total + bucket.matches.length, 0);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: hiddenDocs,
    buckets: shown.map((bucket) => {
      const key = typeof bucket.key === 'boolean' ? Number(bucket.key) : bucket.key;
      const keyAsString =
        mapping?.kind === 'date' ? { key_as_string: formatDate(Number(key)) } : mapping?.kind === 'boolean' ? { key_as_string: String(bucket.key) } : {};
      return { key, ...keyAsString, doc_count: bucket.matches.length, ...subAggregations(bucket.matches) };
    }),
  };
};

function formatDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function rangeKey(from: number | undefined, to: number | undefined): string {
  return `${from === undefined ? '*' : formatDouble(from)}-${to === undefined ? '*' : formatDouble(to)}`;
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}

const range: AggregationRunner = (body, matches, _context, subAggregations) => {
  const field = fieldOption(body, 'range');
  const ranges = body['ranges'];
  if (!Array.isArray(ranges) || ranges.length === 0) throw illegalArgument(`No [ranges] specified for the [range] aggregation`);
  const valuesOf = docValuesOf(field);
  const values = matches.map(valuesOf);
  const buckets = ranges.map((entry: JsonObject) => {
    const unknown = Object.keys(entry).find((key) => !['from', 'to', 'key'].includes(key));
    if (unknown) throw parsingError(`[range] unknown field [${unknown}]`);
    const from = optionalNumber(entry['from']);
    const to = optionalNumber(entry['to']);
    const inRange: Match[] = [];
    for (let position = 0; position < matches.length; position += 1) {
      for (const value of values[position]!) {
        if (typeof value === 'string') continue;
        const number = Number(value);
        if ((from === undefined || number >= from) && (to === undefined || number < to)) {
          inRange.push(matches[position]!);
          break;
        }
      }
    }
    const key = typeof entry['key'] === 'string' ? entry['key'] : rangeKey(from, to);
    const bounds = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
    return { key, ...bounds, doc_count: inRange.length, ...subAggregations(inRange) };
  });
  if (body['keyed'] === true) {
    return { buckets: Object.fromEntries(buckets.map(({ key, ...bucket }) => [key, bucket])) };
  }
  return { buckets };
};

const filter: AggregationRunner = (body, matches, context, subAggregations) => {
  const compiled = new Map<EsIndex, Query>();
  const queryFor = (index: EsIndex): Query => compiled.get(index) ?? compiled.set(index, context.compileFilter(body, index)).get(index)!;
  const filtered = matches.filter((match) => queryFor(match.index).score(match.doc) !== undefined);
  return { doc_count: filtered.length, ...subAggregations(filtered) };
};

/** Bucket aggregations by name. */
export const bucketAggregations: Record<string, AggregationRunner> = { terms, range, filter };
