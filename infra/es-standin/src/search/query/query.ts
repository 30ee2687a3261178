import type { StoredDocument } from '../../store/stored-document.js';
import type { EsIndex } from '../../store/es-index.js';

/** Terms a query matched, per field, for highlighting. */
export type HighlightTerms = Map<string, Set<string>>;

/** A compiled query against one index: scores matching documents, undefined for documents it does not match. */
export interface Query {
  score(doc: StoredDocument): number | undefined;
  collectHighlightTerms(terms: HighlightTerms): void;
}

/** Compiles a nested query clause (used by compound queries). */
export type CompileClause = (clause: unknown) => Query;

/** Builds a query of one type from its JSON body, for one index. */
export type QueryBuilder = (body: unknown, index: EsIndex, compile: CompileClause) => Query;

/** Adds terms to the highlight set of a field. */
export function addHighlightTerms(terms: HighlightTerms, field: string, values: Iterable<string>): void {
  const set = terms.get(field) ?? new Set<string>();
  for (const value of values) set.add(value);
  terms.set(field, set);
}

/** A query that matches nothing. */
export const matchNone: Query = { score: () => undefined, collectHighlightTerms: () => undefined };

/** A query matching documents a predicate accepts, all with the same score. */
export function constantScore(predicate: (doc: StoredDocument) => boolean, boost: number, highlight?: (terms: HighlightTerms) => void): Query {
  return {
    score: (doc) => (predicate(doc) ? boost : undefined),
    collectHighlightTerms: (terms) => highlight?.(terms),
  };
}
