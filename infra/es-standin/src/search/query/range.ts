import type { FieldMapping } from '../../mapping/field-mapping.js';
import { parseDate } from '../../mapping/dates.js';
import { illegalArgument, parsingError } from '../../errors.js';
import { metadataFieldOf } from './metadata-fields.js';
import type { IndexedValue } from '../../mapping/field-values.js';
import { boostOf, fieldClause } from './clause-body.js';
import { queryValue, termsOrValues } from './field-access.js';
import { constantScore, matchNone, type QueryBuilder } from './query.js';

type Bound = { value: IndexedValue; inclusive: boolean };

const boundKeys = ['gte', 'gt', 'lte', 'lt'];

function boundValue(field: FieldMapping, raw: unknown): IndexedValue {
  if (field.kind === 'date' && typeof raw === 'string') {
    const millis = parseDate(raw);
    if (millis !== undefined) return millis;
  }
  return field.kind === 'text' ? String(raw) : queryValue(field, raw);
}

function bound(field: FieldMapping, options: Record<string, unknown>, inclusiveKey: string, exclusiveKey: string): Bound | undefined {
  const inclusive = options[inclusiveKey];
  if (inclusive !== undefined && inclusive !== null) return { value: boundValue(field, inclusive), inclusive: true };
  const exclusive = options[exclusiveKey];
  if (exclusive !== undefined && exclusive !== null) return { value: boundValue(field, exclusive), inclusive: false };
  return undefined;
}

function within(value: IndexedValue, lower: Bound | undefined, upper: Bound | undefined): boolean {
  if (lower && (value < lower.value || (!lower.inclusive && value === lower.value))) return false;
  if (upper && (value > upper.value || (!upper.inclusive && value === upper.value))) return false;
  return true;
}

const defaultFormats = new Set(['strict_date_optional_time', 'strict_date_optional_time||epoch_millis', 'date_optional_time', 'epoch_millis']);
const utcZones = new Set(['UTC', 'Z', '+00:00', 'Etc/UTC', 'GMT']);

function refuseUnsupported(options: Record<string, unknown>): void {
  const format = options['format'];
  if (format !== undefined && !defaultFormats.has(String(format))) {
    throw illegalArgument(`[range] the es-standin parses dates as strict_date_optional_time||epoch_millis only; [format: ${String(format)}] is not supported`);
  }
  const zone = options['time_zone'];
  if (zone !== undefined && !utcZones.has(String(zone))) throw illegalArgument(`[range] the es-standin works in UTC only; [time_zone: ${String(zone)}] is not supported`);
  const relation = options['relation'];
  if (relation !== undefined && !['intersects', 'contains', 'within'].includes(String(relation).toLowerCase())) {
    throw parsingError(`[range] query does not support relation [${String(relation)}]`);
  }
}

/** `range` with gte/gt/lte/lt on numeric, date (ISO, epoch millis, `now` date math) and keyword fields. */
export const rangeQuery: QueryBuilder = (body, index) => {
  const { field, options } = fieldClause(body, 'range', 'gte');
  const unknown = Object.keys(options).find((key) => !boundKeys.includes(key) && !['boost', 'format', 'time_zone', 'relation'].includes(key));
  if (unknown) throw parsingError(`[range] query does not support [${unknown}]`);
  refuseUnsupported(options);
  metadataFieldOf(field, 'range', false);
  const mapping = index.mappings.field(field);
  if (!mapping) return matchNone;
  const lower = bound(mapping, options, 'gte', 'gt');
  const upper = bound(mapping, options, 'lte', 'lt');
  const inverted = index.documents.inverted;
  const candidates = mapping.kind === 'text' ? undefined : () => inverted.rangeDocs(field, lower, upper);
  const column = inverted.column(field);
  return constantScore((doc) => termsOrValues(column, doc).some((value) => within(value, lower, upper)), boostOf(options), undefined, candidates);
};
