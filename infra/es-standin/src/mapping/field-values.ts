import { EsError, illegalArgument } from '../errors.js';
import { parseDate } from './dates.js';
import type { FieldMapping } from './field-mapping.js';
import { isIntegerType } from './field-types.js';

/** A scalar as the stand-in indexes it: keyword strings, numbers (dates as epoch millis) and booleans. */
export type IndexedValue = string | number | boolean;

function toNumber(field: FieldMapping, raw: unknown): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new EsError(400, 'number_format_exception', `For input string: "${String(raw)}"`);
  }
  if (isIntegerType(field.type)) return Math.trunc(value);
  if (field.scalingFactor) return Math.round(value * field.scalingFactor) / field.scalingFactor;
  return value;
}

function toBoolean(raw: unknown): boolean {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false' || raw === '') return false;
  throw illegalArgument(`Failed to parse value [${String(raw)}] as only [true] or [false] are allowed.`);
}

function toDate(field: FieldMapping, raw: unknown): number {
  const millis = parseDate(raw);
  if (millis === undefined) {
    throw illegalArgument(`failed to parse date field [${String(raw)}] with format [strict_date_optional_time||epoch_millis]`);
  }
  return millis;
}

function toKeyword(raw: unknown): string {
  if (typeof raw === 'object') throw illegalArgument(`Can't get text on a START_OBJECT`);
  return String(raw);
}

/** Converts a source or query value to the field's indexed form; throws an EsError when it does not fit. */
export function coerceValue(field: FieldMapping, raw: unknown): IndexedValue {
  switch (field.kind) {
    case 'number':
      return toNumber(field, raw);
    case 'boolean':
      return toBoolean(raw);
    case 'date':
      return toDate(field, raw);
    default:
      return toKeyword(raw);
  }
}

/** Every non-null scalar found at a dotted path in a source document, arrays flattened. */
export function valuesAt(source: unknown, path: string): unknown[] {
  if (source === null || source === undefined) return [];
  if (Array.isArray(source)) return source.flatMap((item) => valuesAt(item, path));
  if (path === '') return [source];
  if (typeof source !== 'object') return [];
  const record = source as Record<string, unknown>;
  if (path in record) return valuesAt(record[path], '');
  const dot = path.indexOf('.');
  if (dot < 0) return [];
  return valuesAt(record[path.slice(0, dot)], path.slice(dot + 1));
}
