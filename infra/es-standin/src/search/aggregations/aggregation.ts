import { fielddataDisabled, idFielddataDisabled, illegalArgument } from '../../errors.js';
import type { FieldMapping } from '../../mapping/field-mapping.js';
import type { IndexedValue } from '../../mapping/field-values.js';
import type { EsIndex } from '../../store/es-index.js';
import type { FieldColumn } from '../../store/inverted-index.js';
import type { JsonObject } from '../query/clause-body.js';
import type { Query } from '../query/query.js';
import type { Match } from '../hit.js';

/** What aggregations may consult beyond the matches. */
export interface AggregationContext {
  compileFilter(clause: unknown, index: EsIndex): Query;
}

/** Computes one aggregation's result over the matches; `subAggregations` computes nested ones for a bucket. */
export type AggregationRunner = (
  body: JsonObject,
  matches: Match[],
  context: AggregationContext,
  subAggregations: (bucketMatches: Match[]) => JsonObject,
) => JsonObject;

/** The mapping of an aggregated field in the first index that maps it. */
export function aggregatedField(matches: Match[], field: string): FieldMapping | undefined {
  for (const match of matches) {
    const mapping = match.index.mappings.field(field);
    if (mapping) return mapping;
  }
  return undefined;
}

const noValues: IndexedValue[] = [];

/**
 * A reader of a field's doc-value style values in matches; text fields are refused as Elasticsearch refuses fielddata.
 * The field is checked and its column looked up once per index, not once per match.
 */
export function docValuesOf(field: string): (match: Match) => IndexedValue[] {
  let lastIndex: EsIndex | undefined;
  let column: FieldColumn = [];
  return (match) => {
    if (field === '_index') return [match.index.name];
    if (field === '_id') throw idFielddataDisabled();
    if (match.index !== lastIndex) {
      if (field.startsWith('_') && !match.index.mappings.field(field)) {
        throw illegalArgument(`the es-standin (development/test stand-in) does not support aggregations on the metadata field [${field}]`);
      }
      lastIndex = match.index;
      column = match.index.documents.inverted.column(field);
    }
    const data = column[match.doc.docNo];
    if (!data) return noValues;
    if (data.kind === 'text') throw fielddataDisabled(field, match.index.name);
    return data.values;
  };
}

/** Numeric values of a field over all matches (booleans as 1/0, dates as epoch millis). */
export function numericValues(matches: Match[], field: string): number[] {
  const valuesOf = docValuesOf(field);
  return matches.flatMap((match) => numbersOf(valuesOf(match)));
}

/** The numeric values among one match's doc values, as {@link numericValues} reads them. */
export function numbersOf(values: IndexedValue[]): number[] {
  const numbers: number[] = [];
  for (const value of values) if (typeof value !== 'string') numbers.push(Number(value));
  return numbers;
}

/** The `field` option of an aggregation. */
export function fieldOption(body: JsonObject, type: string): string {
  const field = body['field'];
  if (typeof field !== 'string') throw illegalArgument(`Required one of fields [field, script], but none were specified. [${type}]`);
  return field;
}
