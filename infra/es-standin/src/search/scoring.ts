import type { TextFieldData } from '../mapping/document-fields.js';
import type { TextFieldStats } from '../store/text-field-stats.js';

const k1 = 1.2;
const b = 0.75;

/** BM25 inverse document frequency, as Lucene computes it. */
export function idf(docFreq: number, docCount: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** Lucene's BM25 term-frequency part for a field of the given length. */
export function tfNorm(freq: number, fieldLength: number, averageLength: number): number {
  return freq / (freq + k1 * (1 - b + (b * fieldLength) / averageLength));
}

/** BM25 score of one term in one document's text field; undefined when the term is absent. */
export function termScore(stats: TextFieldStats, data: TextFieldData, term: string, docFreq = stats.docFreq.get(term) ?? 0): number | undefined {
  const positions = data.positions.get(term);
  if (!positions) return undefined;
  return idf(docFreq, stats.docCount) * tfNorm(positions.length, data.length, stats.averageLength());
}

/** BM25 score of an exact value in a field without norms (keyword): idf times the single-occurrence tf part. */
export function exactValueScore(docFreq: number, docCount: number): number {
  return idf(docFreq, docCount) / (1 + k1);
}
