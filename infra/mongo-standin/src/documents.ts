import { BSON, EJSON, ObjectId, type Document } from 'bson';

/** A deep copy that keeps BSON value types (ObjectId, Date, Decimal128, ...). */
export function cloneDocument<T extends Document>(document: T): T {
  return BSON.deserialize(BSON.serialize(document)) as T;
}

/** A string that is equal for values MongoDB treats as equal keys (1 and 1.0 alike). */
export function keyString(value: unknown): string {
  if (typeof value === 'string') return `{"v":${JSON.stringify(value)}}`;
  if (Number.isSafeInteger(value)) return `{"v":${JSON.stringify(value)}}`;
  if (value === null || value === undefined) return '{"v":null}';
  if (value instanceof ObjectId) return `{"v":{"$oid":"${value.toHexString()}"}}`;
  return EJSON.stringify({ v: value }, { relaxed: true });
}

/** Human-readable rendering of a key document as MongoDB prints it in error messages. */
export function renderKey(key: Document): string {
  const fields = Object.entries(key).map(([name, value]) => `${name}: ${renderValue(value)}`);
  return `{ ${fields.join(', ')} }`;
}

function renderValue(value: unknown): string {
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (typeof value === 'string') return JSON.stringify(value);
  return EJSON.stringify(value ?? null, { relaxed: true });
}

/** Returns the document with its `_id` moved first, generating an ObjectId if it has none. */
export function withId(document: Document): Document {
  const { _id, ...fields } = document;
  return { _id: _id === undefined ? new ObjectId() : _id, ...fields };
}
