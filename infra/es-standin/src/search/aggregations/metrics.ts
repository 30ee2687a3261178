import { formatDate } from '../../mapping/dates.js';
import type { JsonObject } from '../query/clause-body.js';
import { aggregatedField, docValuesOf, fieldOption, numericValues, type AggregationRunner } from './aggregation.js';

function withDateString(value: number | null, isDate: boolean): JsonObject {
  return isDate && value !== null ? { value, value_as_string: formatDate(value) } : { value };
}

function metric(type: string, compute: (values: number[]) => number | null): AggregationRunner {
  return (body, matches) => {
    const field = fieldOption(body, type);
    const values = numericValues(matches, field);
    const isDate = aggregatedField(matches, field)?.kind === 'date';
    return withDateString(compute(values), isDate && type !== 'sum' && type !== 'avg');
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Metric aggregations by name. */
export const metricAggregations: Record<string, AggregationRunner> = {
  min: metric('min', (values) => (values.length === 0 ? null : Math.min(...values))),
  max: metric('max', (values) => (values.length === 0 ? null : Math.max(...values))),
  avg: metric('avg', (values) => (values.length === 0 ? null : sum(values) / values.length)),
  sum: metric('sum', sum),
  value_count: (body, matches) => ({ value: matches.flatMap(docValuesOf(fieldOption(body, 'value_count'))).length }),
  cardinality: (body, matches) => ({
    value: new Set(matches.flatMap(docValuesOf(fieldOption(body, 'cardinality')))).size,
  }),
  stats: (body, matches) => {
    const values = numericValues(matches, fieldOption(body, 'stats'));
    const empty = values.length === 0;
    return {
      count: values.length,
      min: empty ? null : Math.min(...values),
      max: empty ? null : Math.max(...values),
      avg: empty ? null : sum(values) / values.length,
      sum: sum(values),
    };
  },
};
