import { ObjectId, type Document } from 'bson';
import { Aggregator, ProcessingMode, Query } from 'mingo';
import { foldValue, SIMPLE, sortCollation, type Collation } from './collation.js';
import { keyString } from './documents.js';
import { jsonSchemaPredicate } from './jsonSchema.js';

/** Options every mingo evaluation uses: `$jsonSchema` is checked by ajv; client-supplied JavaScript (`$where`, `$function`) is refused. */
export const MINGO_OPTIONS = { jsonSchemaValidator: jsonSchemaPredicate, scriptEnabled: false };

/** What `find`-like commands select: filter, order, window and shape. */
export interface FindSpec {
  filter?: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** How a query evaluates: its collation and its `let` variables. */
export interface EvaluationOptions {
  collation?: Collation;
  variables?: Document;
}

/** Resolves another collection of the same database by name, for `$lookup`. */
export type CollectionLookup = (name: string) => Document[];

function mingoOptions(options: EvaluationOptions): Document {
  const collation = sortCollation(options.collation ?? SIMPLE);
  return { ...MINGO_OPTIONS, ...(collation ? { collation } : {}), ...(options.variables ? { variables: options.variables } : {}) };
}

/** The documents a find-like query selects, evaluated by mingo; a non-simple collation compares strings folded. */
export function findDocuments(documents: Document[], spec: FindSpec, options: EvaluationOptions = {}): Document[] {
  const collation = options.collation ?? SIMPLE;
  const ids = collation.simple && !spec.sort && !spec.skip && !nonEmpty(spec.projection) ? idsSelected(spec.filter) : undefined;
  if (ids) {
    const selected = documents.filter((document) => ids.has(keyString(document._id)));
    return spec.limit ? selected.slice(0, Math.abs(spec.limit)) : selected;
  }
  const settings = mingoOptions(options);
  const folded = collation.simple ? undefined : new Query(foldValue(spec.filter ?? {}, collation) as Document, settings);
  const selected = folded ? documents.filter((document) => folded.test(foldValue(document, collation) as Document)) : documents;
  let cursor = new Query(collation.simple ? (spec.filter ?? {}) : {}, settings).find<Document>(selected, nonEmpty(spec.projection));
  if (spec.sort && Object.keys(spec.sort).length > 0) cursor = cursor.sort(spec.sort);
  if (spec.skip) cursor = cursor.skip(spec.skip);
  if (spec.limit) cursor = cursor.limit(Math.abs(spec.limit));
  return cursor.all();
}

/** Whether a document matches a filter. */
export function matches(filter: Document | undefined, document: Document): boolean {
  return compiledFilter(filter).test(document);
}

/** A filter compiled for repeated tests. */
export interface CompiledFilter {
  test(document: Document): boolean;
}

/** Compiles a filter once, for a caller that tests many documents against it over time. */
export function compiledFilter(filter: Document | undefined): CompiledFilter {
  return new Query(filter ?? {}, MINGO_OPTIONS);
}

/** Runs an aggregation pipeline (without $out/$merge, which the aggregate command applies) over the documents, evaluated by mingo. */
export function runPipeline(documents: Document[], pipeline: Document[], lookup: CollectionLookup, options: EvaluationOptions = {}): Document[] {
  const aggregator = new Aggregator(pipeline, { ...mingoOptions(options), processingMode: ProcessingMode.CLONE_INPUT, collectionResolver: lookup });
  return aggregator.run(documents) as Document[];
}

/** The values of `let`, evaluated as aggregation expressions (constants stay as they are). */
export function letVariables(value: unknown): Document | undefined {
  if (value === undefined) return undefined;
  const [evaluated] = new Aggregator([{ $replaceWith: { $literal: {} } }, { $addFields: value as Document }], MINGO_OPTIONS).run([{}]) as Document[];
  return evaluated;
}

/**
 * The `_id` keys of a filter that only selects by `_id` equality or `$in` over strings, integers or ObjectIds: such
 * a filter is decided by comparing keys, the same answer mingo gives, without compiling a query.
 */
function idsSelected(filter: Document | undefined): Set<string> | undefined {
  if (!filter) return undefined;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const condition = filter._id as unknown;
  const operators = isPlainObject(condition) ? Object.keys(condition) : [];
  const values = operators.length === 0 ? [condition] : operators.length === 1 && operators[0] === '$eq' ? [(condition as Document).$eq] : operators.length === 1 && operators[0] === '$in' ? (condition as Document).$in : undefined;
  if (!Array.isArray(values) || !values.every(isPlainKey)) return undefined;
  return new Set(values.map(keyString));
}

function isPlainKey(value: unknown): boolean {
  return typeof value === 'string' || Number.isSafeInteger(value) || value instanceof ObjectId;
}

function isPlainObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function nonEmpty(projection: Document | undefined): Document | undefined {
  return projection && Object.keys(projection).length > 0 ? projection : undefined;
}
