import { illegalArgument } from '../../errors.js';
import type { EsIndex } from '../../store/es-index.js';
import { exactValueScore } from '../scoring.js';
import { constantScore, matchNone, type Query } from './query.js';

/** The metadata fields the stand-in can query (term, terms, match, exists; `ids` for `_id`). */
export type QueryableMetadataField = '_id' | '_index';

const otherMetadataFields = new Set([
  '_routing', '_source', '_seq_no', '_version', '_primary_term', '_field_names', '_ignored', '_doc_count', '_tier', '_size', '_nested_path',
  '_data_stream_timestamp', '_feature', '_ignored_source', '_score',
]);

/** Names a metadata field a query addresses; refuses those the stand-in does not index, naming the query type. */
export function metadataFieldOf(field: string, queryType: string, supported: boolean): QueryableMetadataField | undefined {
  const isQueryable = field === '_id' || field === '_index';
  if (!isQueryable && !otherMetadataFields.has(field)) return undefined;
  if (isQueryable && supported) return field;
  throw illegalArgument(`the es-standin (development/test stand-in) does not support [${queryType}] queries on the metadata field [${field}]`);
}

/** The numbers of the live documents with these ids. */
export function idDocs(index: EsIndex, values: Iterable<string>): Set<number> {
  const found = new Set<number>();
  for (const id of values) {
    const doc = index.documents.get(id);
    if (doc) found.add(doc.docNo);
  }
  return found;
}

/**
 * A term (scored: `_id` as an exact value with a document frequency of one) or terms/exists (constant score) query on
 * `_id` or `_index`; `_index` matches every document of an index whose name is among the values.
 */
export function metadataQuery(index: EsIndex, field: QueryableMetadataField, values: unknown[], boost: number, scored: boolean): Query {
  const wanted = values.map(String);
  if (field === '_index') return wanted.includes(index.name) ? constantScore(() => true, boost) : matchNone;
  const wantedIds = new Set(wanted);
  const score = scored ? boost * exactValueScore(1, index.documents.count()) : boost;
  return constantScore((doc) => wantedIds.has(doc.id), score, undefined, () => idDocs(index, wanted));
}

/** `exists` on a metadata field: every document has `_id` and `_index`. */
export function metadataExistsQuery(boost: number): Query {
  return constantScore(() => true, boost);
}
