import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ValidateFunction } from 'ajv';
import { Binary, Decimal128, Long, ObjectId, Timestamp, type Document } from 'bson';
import { keyString } from './documents.js';

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp) && !('_bsontype' in value);
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || value instanceof Long || value instanceof Decimal128;
}

const BSON_TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  object: isPlainObject,
  array: Array.isArray,
  string: (value) => typeof value === 'string',
  int: (value) => Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31,
  long: (value) => Number.isInteger(value) || value instanceof Long,
  double: (value) => typeof value === 'number',
  decimal: (value) => value instanceof Decimal128,
  number: isNumeric,
  bool: (value) => typeof value === 'boolean',
  date: (value) => value instanceof Date,
  objectId: (value) => value instanceof ObjectId,
  null: (value) => value === null,
  binData: (value) => value instanceof Binary,
  timestamp: (value) => value instanceof Timestamp,
  regex: (value) => value instanceof RegExp,
};

const loadModule = createRequire(import.meta.url);
let engine: AjvInstance | undefined;

/** ajv is loaded on the first `$jsonSchema`, keeping it out of the server's start-up. */
function schemaEngine(): AjvInstance {
  if (engine) return engine;
  const { Ajv } = loadModule('ajv') as typeof import('ajv');
  engine = new Ajv({ strict: false, allowUnionTypes: true });
  engine.addKeyword({
    keyword: 'bsonType',
    schemaType: ['string', 'array'],
    errors: false,
    validate: (schema: string | string[], data: unknown) => (Array.isArray(schema) ? schema : [schema]).some((type) => BSON_TYPE_CHECKS[type]?.(data) ?? false),
  });
  return engine;
}

const compiled = new Map<string, ValidateFunction>();

/** A predicate for MongoDB's `$jsonSchema` (JSON Schema plus `bsonType`), compiled by ajv and cached per schema. */
export function jsonSchemaPredicate(schema: Document): (document: unknown) => boolean {
  const key = keyString(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = schemaEngine().compile(schema);
    compiled.set(key, validate);
  }
  const check = validate;
  return (document) => check(document);
}
