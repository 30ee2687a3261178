import { EsError } from '../../errors.js';
import type { StoredDocument } from '../../store/stored-document.js';
import type { EsIndex } from '../../store/es-index.js';
import type { DocNumbers } from '../../store/inverted-index.js';

/** Terms a query matched, per field, for highlighting. */
export type HighlightTerms = Map<string, Set<string>>;

/** The scores of exactly the documents a query matches: document numbers ascending, each with its score. */
export interface DocScores {
  readonly docs: readonly number[];
  readonly scores: readonly number[];
}

/** The scores by document number, for looking documents up. */
export function scoreLookup(scores: DocScores): Map<number, number> {
  return new Map(scores.docs.map((docNo, position) => [docNo, scores.scores[position]!]));
}

/**
 * A compiled query against one index: scores matching documents, undefined for documents it does not match.
 * `candidates` (when present and not undefined) is a superset of the documents it matches, read from the inverted
 * index, so only those are scored; undefined means every document must be looked at. `scores` (when present and
 * not undefined) is the score of every matching document, computed from the postings without visiting the others;
 * each score equals what `score` gives that document, bit for bit.
 */
export interface Query {
  score(doc: StoredDocument): number | undefined;
  collectHighlightTerms(terms: HighlightTerms): void;
  candidates?(): DocNumbers | undefined;
  scores?(): DocScores | undefined;
}

/** The postings-computed scores of a query (undefined when it has none). */
export function scoresOf(query: Query): DocScores | undefined {
  return query.scores?.();
}

/** A function computing once, on first call, and answering the same result afterwards. */
export function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
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
export const matchNone: Query = { score: () => undefined, collectHighlightTerms: () => undefined, candidates: () => new Set<number>(), scores: () => ({ docs: [], scores: [] }) };

/** A query matching documents a predicate accepts, all with the same score (optionally narrowed to candidates). */
export function constantScore(
  predicate: (doc: StoredDocument) => boolean,
  boost: number,
  highlight?: (terms: HighlightTerms) => void,
  candidates?: () => DocNumbers | undefined,
): Query {
  return {
    score: (doc) => (predicate(doc) ? boost : undefined),
    collectHighlightTerms: (terms) => highlight?.(terms),
    ...(candidates ? { candidates } : {}),
  };
}

/** The union of candidate sets; undefined (every document) when any of them is. */
export function unionOf(sets: (DocNumbers | undefined)[]): DocNumbers | undefined {
  if (sets.some((set) => set === undefined)) return undefined;
  const present = sets as DocNumbers[];
  if (present.length === 1) return present[0];
  const union = new Set<number>();
  for (const set of present) for (const docNo of set) union.add(docNo);
  return union;
}

/** The intersection of the candidate sets that narrow anything; undefined when none does. */
export function intersectionOf(sets: (DocNumbers | undefined)[]): DocNumbers | undefined {
  const present = sets.filter((set): set is DocNumbers => set !== undefined).sort((a, b) => a.size - b.size);
  const [smallest, ...others] = present;
  if (!smallest) return undefined;
  if (others.length === 0) return smallest;
  const found = new Set<number>();
  for (const docNo of smallest) if (others.every((set) => set.has(docNo))) found.add(docNo);
  return found;
}

/** The candidates of a query (undefined for every document). */
export function candidatesOf(query: Query): DocNumbers | undefined {
  return query.candidates?.();
}

/** Compiles a clause, or matches nothing when it cannot apply to the field (a `lenient` query on a field of another type). */
export function lenientQuery(build: () => Query): Query {
  try {
    return build();
  } catch (error) {
    if (error instanceof EsError) return matchNone;
    throw error;
  }
}
