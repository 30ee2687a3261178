import { EsError } from '../../errors.js';
import type { FieldMapping } from '../../mapping/field-mapping.js';
import { coerceValue, type IndexedValue } from '../../mapping/field-values.js';
import type { FieldColumn } from '../../store/inverted-index.js';
import type { StoredDocument } from '../../store/stored-document.js';

/** The exact (keyword, numeric, date, boolean) values of a field in a document, from the field's column. */
export function exactValues(column: FieldColumn, doc: StoredDocument): IndexedValue[] | undefined {
  const data = column[doc.docNo];
  return data?.kind === 'values' ? data.values : undefined;
}

/** A field's indexed terms (text) or exact values (other types) in a document, from the field's column. */
export function termsOrValues(column: FieldColumn, doc: StoredDocument): IndexedValue[] {
  const data = column[doc.docNo];
  if (!data) return [];
  return data.kind === 'text' ? [...data.positions.keys()] : data.values;
}

/** Converts a query value to a field's indexed form; a value that does not fit is a query_shard_exception. */
export function queryValue(field: FieldMapping, raw: unknown): IndexedValue {
  try {
    return coerceValue(field, raw);
  } catch (error) {
    if (!(error instanceof EsError)) throw error;
    throw new EsError(400, 'query_shard_exception', `failed to create query: ${error.reason}`, { index_uuid: '_na_' }, error);
  }
}
