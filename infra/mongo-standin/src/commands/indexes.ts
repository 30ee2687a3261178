import type { Document } from 'bson';
import { keyString } from '../documents.js';
import { ALWAYS_REFUSED, checkFields, implemented, UNLESS_FALSE } from '../command-fields.js';
import { parseCollation } from '../collation.js';
import { commandError } from '../errors.js';
import { defaultIndexName, duplicateKeyError, ID_INDEX, indexKeyOf, indexKeyString, sameIndex, type IndexSpec } from '../indexes.js';
import type { CollectionState } from '../storage/collection.js';
import { namespaceOf, targetCollection, type CommandContext, type CommandHandler } from './context.js';

const INDEX_FIELDS = {
  ...implemented('key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'background', 'v', 'collation'),
  hidden: UNLESS_FALSE,
  ...Object.fromEntries(
    ['weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max', 'wildcardProjection', 'storageEngine', 'prepareUnique', 'clustered'].map((field) => [field, ALWAYS_REFUSED]),
  ),
};

function checkIndexRequest(request: Document): void {
  checkFields('createIndexes.indexes', request, INDEX_FIELDS, false, false);
  if (!parseCollation(request.collation, 'createIndexes.indexes.collation').simple) {
    throw commandError('CommandNotSupported', 'an index with a non-simple collation is not supported by the mongo stand-in');
  }
  for (const [field, direction] of Object.entries((request.key as Document | undefined) ?? {})) {
    if (direction !== 1 && direction !== -1) throw commandError('CommandNotSupported', `index type ${JSON.stringify(direction)} on ${field} is not supported by the mongo stand-in (only 1 and -1)`);
  }
}

function createIndexes(context: CommandContext): Document {
  checkFields('createIndexes', context.command, implemented('indexes', 'commitQuorum'), true);
  for (const request of (context.command.indexes as Document[] | undefined) ?? []) checkIndexRequest(request);
  const coll = targetCollection(context);
  const existing = context.persistence.store.collection(context.db, coll);
  const before = existing?.indexes.length ?? 1;
  const requested = ((context.command.indexes as Document[] | undefined) ?? []).map(toIndexSpec);
  const added = requested.filter((spec) => isNewIndex(existing?.indexes ?? [ID_INDEX], spec));
  for (const spec of added) if (spec.unique) assertNoDuplicates(namespaceOf(context, coll), existing, spec);
  const creates = existing ? [] : [{ op: 'create' as const, db: context.db, coll, options: {} }];
  context.persistence.commit([...creates, ...added.map((spec) => ({ op: 'createIndex' as const, db: context.db, coll, spec }))]);
  const reply: Document = { numIndexesBefore: before, numIndexesAfter: before + added.length, createdCollectionAutomatically: !existing };
  if (added.length === 0) reply.note = 'all indexes already exist';
  return reply;
}

function toIndexSpec(request: Document): IndexSpec {
  const key = request.key as Document | undefined;
  if (!key || Object.keys(key).length === 0) throw commandError('BadValue', 'Index key pattern must be a non-empty object');
  const { v: _version, key: _key, name, background: _background, collation: _collation, hidden: _hidden, ...options } = request;
  return { v: 2, key, name: typeof name === 'string' ? name : defaultIndexName(key), ...options };
}

function isNewIndex(indexes: IndexSpec[], spec: IndexSpec): boolean {
  const sameName = indexes.find((index) => index.name === spec.name);
  if (sameName && !sameIndex(sameName, spec)) {
    throw commandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index: ${spec.name}`);
  }
  const sameKey = indexes.find((index) => index.name !== spec.name && sameIndex(index, spec));
  if (sameKey) throw commandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
  return !sameName;
}

function assertNoDuplicates(namespace: string, state: CollectionState | undefined, spec: IndexSpec): void {
  const seen = new Set<string>();
  for (const document of state?.documents.values() ?? []) {
    const key = indexKeyOf(spec, document);
    if (!key) continue;
    if (seen.has(indexKeyString(key))) throw duplicateKeyError(namespace, spec, key);
    seen.add(indexKeyString(key));
  }
}

function listIndexes(context: CommandContext): Document {
  checkFields('listIndexes', context.command, implemented('cursor', 'includeBuildUUIDs'), true);
  const coll = targetCollection(context);
  const state = context.persistence.store.collection(context.db, coll);
  if (!state) throw commandError('NamespaceNotFound', `ns does not exist: ${namespaceOf(context, coll)}`);
  const batchSize = (context.command.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: context.cursors.open(namespaceOf(context, coll), state.indexes, batchSize) };
}

function dropIndexes(context: CommandContext): Document {
  checkFields('dropIndexes', context.command, implemented('index'), true);
  const coll = targetCollection(context);
  const state = context.persistence.store.collection(context.db, coll);
  if (!state) throw commandError('NamespaceNotFound', `ns not found ${namespaceOf(context, coll)}`);
  const names = indexNamesToDrop(state, context.command.index);
  context.persistence.commit(names.map((name) => ({ op: 'dropIndex' as const, db: context.db, coll, name })));
  return { nIndexesWas: state.indexes.length + names.length };
}

function indexNamesToDrop(state: CollectionState, selector: unknown): string[] {
  if (selector === '*') return state.indexes.slice(1).map((spec) => spec.name);
  const selectors = Array.isArray(selector) ? selector : [selector];
  return selectors.map((one: unknown) => {
    const spec = state.indexes.find((index) => (typeof one === 'string' ? index.name === one : keyString(index.key) === keyString(one)));
    if (!spec) throw commandError('IndexNotFound', `index not found with name [${typeof one === 'string' ? one : JSON.stringify(one)}]`);
    if (spec.name === ID_INDEX.name) throw commandError('InvalidOptions', 'cannot drop _id index');
    return spec.name;
  });
}

/** Index management commands. */
export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes };
