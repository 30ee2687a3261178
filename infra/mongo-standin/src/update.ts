import { BSON, ObjectId, type Document } from 'bson';
import { update as applyModifier } from 'mingo';
import { setValue } from 'mingo/util';
import { cloneDocument, keyString } from './documents.js';
import { commandError, type CommandError } from './errors.js';
import { MINGO_OPTIONS, runPipeline } from './query.js';

/** An update as MongoDB accepts it: operators, a replacement document, or a pipeline. */
export type UpdateSpec = Document | Document[];

/** Options that shape how an update applies. */
export interface UpdateOptions {
  arrayFilters?: Document[];
  query?: Document;
  /** The command's `let` variables, for pipeline updates. */
  variables?: Document;
  /** Set when the query matched under a non-simple collation: mingo would re-test it binary, so it is not handed over. */
  collated?: boolean;
}

/** The updated copy of a document; the original is left untouched. */
export function updatedDocument(original: Document, spec: UpdateSpec, options: UpdateOptions, inserting = false): Document {
  const updated = computeUpdate(original, spec, options, inserting);
  if (keyString(updated._id) !== keyString(original._id)) {
    throw commandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return updated;
}

/** Whether an update left the document byte-for-byte the same. */
export function unchanged(before: Document, after: Document): boolean {
  return Buffer.compare(BSON.serialize(before), BSON.serialize(after)) === 0;
}

/** The document an upsert inserts: equality fields of the query, then the update. */
export function upsertDocument(query: Document, spec: UpdateSpec, options: UpdateOptions): Document {
  const seed = seedFromQuery(query);
  if (isReplacement(spec)) {
    const { _id, ...fields } = spec as Document;
    return { _id: _id ?? seed._id ?? new ObjectId(), ...fields };
  }
  const seeded = seed._id === undefined ? { _id: new ObjectId(), ...seed } : seed;
  return computeUpdate(seeded, spec, options, true);
}

/** Whether an update document uses update operators (`$set`, `$inc`, ...) rather than replacing. */
export function isOperatorUpdate(spec: UpdateSpec): spec is Document {
  return !Array.isArray(spec) && Object.keys(spec).some((key) => key.startsWith('$'));
}

function isReplacement(spec: UpdateSpec): spec is Document {
  return !Array.isArray(spec) && !isOperatorUpdate(spec);
}

function computeUpdate(original: Document, spec: UpdateSpec, options: UpdateOptions, inserting: boolean): Document {
  if (Array.isArray(spec)) return runPipeline([cloneDocument(original)], spec, () => [], { variables: options.variables })[0] ?? original;
  if (isReplacement(spec)) return replacement(original, spec);
  const operators: Document = spec;
  if (!inserting && !options.arrayFilters && isTopLevelSet(operators)) return withTopLevelFields(original, operators.$set as Document);
  const copy = cloneDocument(original);
  const condition = inserting || options.collated || !usesPositionalPath(spec) ? undefined : options.query;
  try {
    applyModifier(copy, modifierFor(spec, inserting), options.arrayFilters, condition, { cloneMode: 'deep', queryOptions: MINGO_OPTIONS });
  } catch (error) {
    throw updateFailure(error);
  }
  return copy;
}

/** Whether the update only `$set`s top-level fields other than `_id` (no dotted or positional paths). */
function isTopLevelSet(spec: Document): boolean {
  const operators = Object.keys(spec);
  if (operators.length !== 1 || operators[0] !== '$set') return false;
  const fields = spec.$set as unknown;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return false;
  const names = Object.keys(fields);
  return names.length > 0 && names.every((name) => name !== '_id' && name.length > 0 && !name.includes('.') && !name.startsWith('$'));
}

/** `$set` of top-level fields as MongoDB applies it: an existing field keeps its place, a new one goes last. */
function withTopLevelFields(original: Document, fields: Document): Document {
  return cloneDocument({ ...original, ...fields });
}

/** Whether an operator update names a field through the positional `$` (which needs the query that matched). */
function usesPositionalPath(spec: Document): boolean {
  return Object.values(spec).some((fields) => typeof fields === 'object' && fields !== null && Object.keys(fields as Document).some((path) => /(^|\.)\$(\.|$)/.test(path)));
}

function updateFailure(error: unknown): CommandError {
  const message = error instanceof Error ? error.message : String(error);
  if (/immutable field/.test(message)) return commandError('ImmutableField', message);
  if (/Unknown update operator/.test(message)) return commandError('FailedToParse', message);
  return commandError('BadValue', message);
}

function replacement(original: Document, spec: Document): Document {
  const { _id, ...fields } = spec;
  if (_id !== undefined && keyString(_id) !== keyString(original._id)) {
    throw commandError('ImmutableField', "After applying the update, the (immutable) field '_id' was found to have been altered");
  }
  return { _id: original._id, ...fields };
}

function modifierFor(spec: Document, inserting: boolean): Document {
  const { $setOnInsert, ...modifier } = spec;
  if (!inserting || !$setOnInsert) return modifier;
  return { ...modifier, $set: { ...(modifier.$set as Document | undefined), ...($setOnInsert as Document) } };
}

function seedFromQuery(query: Document): Document {
  const seed: Document = {};
  for (const [path, value] of equalityFields(query)) setValue(seed, path, value);
  return seed;
}

function equalityFields(query: Document): [string, unknown][] {
  return Object.entries(query).flatMap(([key, value]): [string, unknown][] => {
    if (key === '$and' && Array.isArray(value)) return value.flatMap((clause: Document) => equalityFields(clause));
    if (key.startsWith('$')) return [];
    if (!isOperatorObject(value)) return [[key, value]];
    return '$eq' in value ? [[key, value.$eq]] : [];
  });
}

function isOperatorObject(value: unknown): value is Document {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((key) => key.startsWith('$'))
  );
}
