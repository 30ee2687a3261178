import { parsingError } from '../../errors.js';

import { isObject, type JsonObject } from '../../json.js';

export { isObject, type JsonObject };

/** Requires a JSON object, naming the query type in the parse error otherwise. */
export function requireObject(value: unknown, queryType: string): JsonObject {
  if (!isObject(value)) throw parsingError(`[${queryType}] query malformed, no start_object after query name`);
  return value;
}

/**
 * Splits the common `{ "<field>": <value or options> }` shape of field queries into the field name and its options;
 * a bare value becomes `{ [valueKey]: value }`.
 */
export function fieldClause(body: unknown, queryType: string, valueKey: string): { field: string; options: JsonObject } {
  const object = requireObject(body, queryType);
  if (object['_name'] !== undefined) throw parsingError(`[${queryType}] query does not support [_name] in the es-standin (named queries are not implemented)`);
  const entries = Object.entries(object).filter(([key]) => key !== 'boost');
  const [entry, extra] = entries;
  if (!entry) throw parsingError(`[${queryType}] query doesn't support multiple fields, found none`);
  if (extra) throw parsingError(`[${queryType}] query doesn't support multiple fields, found [${entry[0]}] and [${extra[0]}]`);
  const [field, value] = entry;
  const options = isObject(value) ? value : { [valueKey]: value };
  return { field, options: { boost: object['boost'], ...options } };
}

/** The `boost` option as a number (1 when absent). */
export function boostOf(options: JsonObject): number {
  return options['boost'] === undefined ? 1 : Number(options['boost']);
}

/** An option that may be one clause or a list of clauses, as a list. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
