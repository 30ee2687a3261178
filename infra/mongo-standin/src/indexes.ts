import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import { commandError, type CommandError } from './errors.js';
import { keyString, renderKey } from './documents.js';
import { matches } from './query.js';

/** An index definition as stored and listed by `listIndexes`. */
export interface IndexSpec extends Document {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
}

/** The index every collection has on `_id`. */
export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Whether an index enforces uniqueness (the `_id` index always does). */
export function isUnique(spec: IndexSpec): boolean {
  return spec.name === ID_INDEX.name || spec.unique === true;
}

/** The name MongoDB gives an index that was created without one, e.g. `sku_1_price_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

/** The key document `{ field: value }` a document has in an index, or undefined when the index skips it. */
export function indexKeyOf(spec: IndexSpec, document: Document): Document | undefined {
  const fields = Object.keys(spec.key);
  const values = fields.map((field) => resolve(document, field) as unknown);
  if (spec.sparse === true && values.every((value) => value === undefined)) return undefined;
  if (spec.partialFilterExpression && !matches(spec.partialFilterExpression, document)) return undefined;
  return Object.fromEntries(fields.map((field, at) => [field, values[at] ?? null]));
}

const MAX_KEYS_PER_DOCUMENT = 1000;

/** The keys a document has in an ordered index: one per combination of array elements (multikey); none when the index skips it. */
export function indexEntriesOf(spec: IndexSpec, document: Document): unknown[][] {
  if (!indexKeyOf(spec, document)) return [];
  let keys: unknown[][] = [[]];
  for (const field of Object.keys(spec.key)) {
    const value = resolve(document, field) as unknown;
    const elements = Array.isArray(value) ? (value.length === 0 ? [undefined] : value) : [value];
    keys = keys.flatMap((prefix) => elements.map((element) => [...prefix, element ?? null]));
    if (keys.length > MAX_KEYS_PER_DOCUMENT) throw commandError('BadValue', `index ${spec.name}: a document may have at most ${MAX_KEYS_PER_DOCUMENT} keys`);
  }
  return keys;
}

/** The comparable string form of an index key document. */
export function indexKeyString(key: Document): string {
  return keyString(Object.values(key));
}

/** MongoDB's E11000 error for a key already present in a unique index. */
export function duplicateKeyError(namespace: string, spec: IndexSpec, key: Document): CommandError {
  const message = `E11000 duplicate key error collection: ${namespace} index: ${spec.name} dup key: ${renderKey(key)}`;
  return commandError('DuplicateKey', message, { keyPattern: spec.key, keyValue: key });
}

/** Two index definitions are the same index when key and uniqueness options agree. */
export function sameIndex(left: IndexSpec, right: IndexSpec): boolean {
  return (
    keyString(left.key) === keyString(right.key) &&
    Boolean(left.unique) === Boolean(right.unique) &&
    Boolean(left.sparse) === Boolean(right.sparse) &&
    keyString(left.partialFilterExpression) === keyString(right.partialFilterExpression)
  );
}
