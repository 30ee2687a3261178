import type { Document } from 'bson';
import { Aggregator, ProcessingMode, Query } from 'mingo';
import { commandError } from './errors.js';
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

/** Resolves another collection of the same database by name, for `$lookup`. */
export type CollectionLookup = (name: string) => Document[];

/** The documents a find-like query selects, evaluated by mingo. */
export function findDocuments(documents: Document[], spec: FindSpec): Document[] {
  let cursor = new Query(spec.filter ?? {}, MINGO_OPTIONS).find<Document>(documents, nonEmpty(spec.projection));
  if (spec.sort && Object.keys(spec.sort).length > 0) cursor = cursor.sort(spec.sort);
  if (spec.skip) cursor = cursor.skip(spec.skip);
  if (spec.limit) cursor = cursor.limit(Math.abs(spec.limit));
  return cursor.all();
}

/** Whether a document matches a filter. */
export function matches(filter: Document | undefined, document: Document): boolean {
  return new Query(filter ?? {}, MINGO_OPTIONS).test(document);
}

/** Runs an aggregation pipeline over the documents, evaluated by mingo. */
export function runPipeline(documents: Document[], pipeline: Document[], lookup: CollectionLookup): Document[] {
  const unsupported = pipeline.find((stage) => '$out' in stage || '$merge' in stage);
  if (unsupported) throw commandError('IllegalOperation', `${Object.keys(unsupported)[0]} is not supported by the stand-in`);
  const aggregator = new Aggregator(pipeline, { ...MINGO_OPTIONS, processingMode: ProcessingMode.CLONE_INPUT, collectionResolver: lookup });
  return aggregator.run(documents) as Document[];
}

function nonEmpty(projection: Document | undefined): Document | undefined {
  return projection && Object.keys(projection).length > 0 ? projection : undefined;
}
