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

function characterCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  return counts;
}

/** Whether the character counts alone prove a distance above `edits` (each edit changes them by at most two). */
function countsRuleOut(counts: Map<string, number>, candidate: string, edits: number): boolean {
  const remaining = new Map(counts);
  let extra = 0;
  for (const character of candidate) {
    const left = remaining.get(character) ?? 0;
    if (left > 0) remaining.set(character, left - 1);
    else if ((extra += 1) > 2 * edits) return true;
  }
  let missing = 0;
  for (const left of remaining.values()) missing += left;
  return extra + missing > 2 * edits;
}

/** The vocabulary terms within the allowed edit distance (transpositions count as one edit), best first. */
export function expandFuzzy(term: string, vocabulary: Iterable<string>, options: FuzzyOptions): Expansion[] {
  const edits = maxEdits(options.fuzziness, term);
  if (edits === 0) return [{ term, boost: 1 }];
  const prefix = term.slice(0, options.prefixLength);
  const expansions: Expansion[] = [];
  const counts = characterCounts(term);
  for (const candidate of vocabulary) {
    if (!candidate.startsWith(prefix) || Math.abs(candidate.length - term.length) > edits) continue;
    if (countsRuleOut(counts, candidate, edits)) continue;
    const distance = levenshtein(term, candidate).steps;
    if (distance > edits) continue;
    expansions.push({ term: candidate, boost: 1 - distance / Math.min(term.length, candidate.length) });
  }
  return expansions.sort((a, b) => b.boost - a.boost || a.term.localeCompare(b.term)).slice(0, options.maxExpansions);
}
