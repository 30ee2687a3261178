import levenshtein from 'damerau-levenshtein';
import { illegalArgument } from '../errors.js';

/** One indexed term a fuzzy term expands to, and the boost Lucene gives it (1 for the exact term). */
export interface Expansion {
  term: string;
  boost: number;
}

/** Fuzzy-matching options of a match or fuzzy query. */
export interface FuzzyOptions {
  fuzziness: unknown;
  prefixLength: number;
  maxExpansions: number;
}

function autoEdits(spec: string, length: number): number {
  const [low, high] = spec === 'AUTO' ? [3, 6] : spec.slice('AUTO:'.length).split(',').map(Number);
  if (length < (low ?? 3)) return 0;
  return length < (high ?? 6) ? 1 : 2;
}

/** Maximum edits allowed for a term under a `fuzziness` value (`AUTO`, `AUTO:low,high`, 0, 1, 2). */
export function maxEdits(fuzziness: unknown, term: string): number {
  const spec = String(fuzziness).toUpperCase();
  const length = [...term].length;
  if (spec.startsWith('AUTO')) return autoEdits(spec, length);
  const edits = Number(spec);
  if (!Number.isInteger(edits) || edits < 0) throw illegalArgument(`failed to parse fuzziness [${String(fuzziness)}]`);
  return Math.min(edits, 2);
}

/** The vocabulary terms within the allowed edit distance (transpositions count as one edit), best first. */
export function expandFuzzy(term: string, vocabulary: Iterable<string>, options: FuzzyOptions): Expansion[] {
  const edits = maxEdits(options.fuzziness, term);
  if (edits === 0) return [{ term, boost: 1 }];
  const prefix = term.slice(0, options.prefixLength);
  const expansions: Expansion[] = [];
  for (const candidate of vocabulary) {
    if (!candidate.startsWith(prefix) || Math.abs(candidate.length - term.length) > edits) continue;
    const distance = levenshtein(term, candidate).steps;
    if (distance > edits) continue;
    expansions.push({ term: candidate, boost: 1 - distance / Math.min(term.length, candidate.length) });
  }
  return expansions.sort((a, b) => b.boost - a.boost || a.term.localeCompare(b.term)).slice(0, options.maxExpansions);
}
