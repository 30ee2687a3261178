import { mapperParsingError } from '../errors.js';

/** How the stand-in indexes and queries a field type. */
export type FieldKind = 'text' | 'keyword' | 'number' | 'boolean' | 'date' | 'object' | 'unindexed';

const kindsByType: Record<string, FieldKind> = {
  text: 'text',
  match_only_text: 'text',
  search_as_you_type: 'text',
  keyword: 'keyword',
  constant_keyword: 'keyword',
  wildcard: 'keyword',
  ip: 'keyword',
  version: 'keyword',
  long: 'number',
  integer: 'number',
  short: 'number',
  byte: 'number',
  double: 'number',
  float: 'number',
  half_float: 'number',
  scaled_float: 'number',
  unsigned_long: 'number',
  boolean: 'boolean',
  date: 'date',
  date_nanos: 'date',
  object: 'object',
  nested: 'object',
  flattened: 'unindexed',
  geo_point: 'unindexed',
  geo_shape: 'unindexed',
  dense_vector: 'unindexed',
  sparse_vector: 'unindexed',
  binary: 'unindexed',
  completion: 'unindexed',
  rank_feature: 'unindexed',
  rank_features: 'unindexed',
};

const integerTypes = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);

/** The stand-in's handling of an Elasticsearch field type; rejects types Elasticsearch does not know. */
export function kindOf(type: string, fieldPath: string): FieldKind {
  const kind = kindsByType[type];
  if (!kind) throw mapperParsingError(`No handler for type [${type}] declared on field [${fieldPath}]`);
  return kind;
}

/** True for the whole-number field types. */
export function isIntegerType(type: string): boolean {
  return integerTypes.has(type);
}
