import type { Token } from '../../analysis/token.js';
import type { TextFieldData } from '../../mapping/document-fields.js';
import type { EsIndex } from '../../store/es-index.js';
import type { DocNumbers, FieldColumn } from '../../store/inverted-index.js';
import type { StoredDocument } from '../../store/stored-document.js';
import { expandFuzzy, maxEdits, type Expansion, type FuzzyOptions } from '../fuzzy.js';
import type { TextFieldStats } from '../../store/text-field-stats.js';
import { idf, tfNorm } from '../scoring.js';
import { requiredMatches } from './minimum-should-match.js';
import { addHighlightTerms, intersectionOf, once, unionOf, type DocScores, type Query } from './query.js';
import { ScoreScratch } from './score-scratch.js';

const scratch = new ScoreScratch();

/** Options of a term-by-term full-text query on one text field. */
export interface TextMatchOptions {
  operator: 'or' | 'and';
  minimumShouldMatch?: unknown;
  fuzzy?: FuzzyOptions;
  prefixLastTerm?: boolean;
  maxExpansions: number;
  boost: number;
}

interface TermClause {
  variants: Expansion[];
  blendedDocFreq?: number;
}

function textData(column: FieldColumn, doc: StoredDocument): TextFieldData | undefined {
  const data = column[doc.docNo];
  return data?.kind === 'text' ? data : undefined;
}

function prefixExpansions(prefix: string, vocabulary: Iterable<string>, maxExpansions: number): Expansion[] {
  const matches = [...vocabulary].filter((term) => term.startsWith(prefix)).sort();
  return matches.slice(0, maxExpansions).map((term) => ({ term, boost: 1 }));
}

function termClause(index: EsIndex, field: string, term: string, options: TextMatchOptions, isLast: boolean): TermClause {
  const stats = index.documents.statsFor(field);
  const docFreq = stats.docFreq;
  if (isLast && options.prefixLastTerm) return { variants: prefixExpansions(term, docFreq.keys(), options.maxExpansions), blendedDocFreq: undefined };
  if (!options.fuzzy) return { variants: [{ term, boost: 1 }] };
  const variants = expandFuzzy(term, stats.terms.within(term, maxEdits(options.fuzzy.fuzziness, term)), options.fuzzy);
  return { variants, blendedDocFreq: Math.max(0, ...variants.map((variant) => docFreq.get(variant.term) ?? 0)) };
}

/**
 * A clause's variants with the inverse document frequency each scores with, computed once per query, the documents
 * holding each (a shared set asked first, so a document's own term map is only read for the terms it holds) and the
 * term's frequency in each of them (the postings that scoring walks).
 */
interface ScoredVariant {
  term: string;
  boost: number;
  idf: number;
  docs: DocNumbers;
  frequencies: ReadonlyMap<number, number>;
}

function scoredVariants(index: EsIndex, field: string, stats: TextFieldStats, clause: TermClause): ScoredVariant[] {
  return clause.variants.map((variant) => ({
    ...variant,
    idf: idf(clause.blendedDocFreq ?? stats.docFreq.get(variant.term) ?? 0, stats.docCount),
    docs: index.documents.inverted.termDocs(field, variant.term),
    frequencies: index.documents.inverted.termFrequenciesOf(field, variant.term),
  }));
}

function clauseScore(docNo: number, data: TextFieldData, variants: ScoredVariant[], averageLength: number): number | undefined {
  let total: number | undefined;
  for (const variant of variants) {
    if (!variant.docs.has(docNo)) continue;
    const positions = data.positions.get(variant.term);
    if (positions) total = (total ?? 0) + variant.idf * tfNorm(positions.length, data.length, averageLength) * variant.boost;
  }
  return total;
}

/**
 * The scores of a match-style query from its clauses' postings (only documents holding a variant are read), each
 * clause's variants summed in order and the clauses summed in order, as `score` sums them.
 */
function matchScores(column: FieldColumn, variants: ScoredVariant[][], averageLength: number, required: number, boost: number): DocScores {
  const { sums: totals, counts: matched, partials: clauseTotals, marks: clauseOf } = scratch.ensure(column.length);
  const touched: number[] = [];
  variants.forEach((clauseVariants, clause) => {
    const inClause: number[] = [];
    for (const variant of clauseVariants) {
      variant.frequencies.forEach((frequency, docNo) => {
        const data = column[docNo] as TextFieldData;
        const score = variant.idf * tfNorm(frequency, data.length, averageLength) * variant.boost;
        if (clauseOf[docNo] === clause + 1) clauseTotals[docNo] = clauseTotals[docNo]! + score;
        else {
          clauseOf[docNo] = clause + 1;
          clauseTotals[docNo] = 0 + score;
          inClause.push(docNo);
        }
      });
    }
    for (const docNo of inClause) {
      if (matched[docNo] === 0) touched.push(docNo);
      totals[docNo] = totals[docNo]! + clauseTotals[docNo]!;
      matched[docNo] = matched[docNo]! + 1;
    }
  });
  touched.sort((a, b) => a - b);
  const docs: number[] = [];
  const scores: number[] = [];
  for (const docNo of touched) {
    if (matched[docNo]! >= Math.max(required, 1)) {
      docs.push(docNo);
      scores.push(totals[docNo]! * boost);
    }
    totals[docNo] = 0;
    matched[docNo] = 0;
    clauseOf[docNo] = 0;
  }
  return { docs, scores };
}

/** A match-style query: each analysed term is a clause; `or` needs `minimum_should_match` of them, `and` needs all. */
export function textMatchQuery(index: EsIndex, field: string, terms: string[], options: TextMatchOptions): Query {
  const clauses = terms.map((term, position) => termClause(index, field, term, options, position === terms.length - 1));
  const required = options.operator === 'and' ? clauses.length : requiredMatches(options.minimumShouldMatch, clauses.length, 1);
  const stats = index.documents.statsFor(field);
  const variants = clauses.map((clause) => scoredVariants(index, field, stats, clause));
  const averageLength = stats.averageLength();
  const column = index.documents.inverted.column(field);
  return {
    score(doc) {
      const data = textData(column, doc);
      if (!data) return undefined;
      let matched = 0;
      let total = 0;
      for (const clauseVariants of variants) {
        const score = clauseScore(doc.docNo, data, clauseVariants, averageLength);
        if (score === undefined) continue;
        matched += 1;
        total += score;
      }
      return matched >= Math.max(required, 1) ? total * options.boost : undefined;
    },
    scores: once(() => matchScores(column, variants, averageLength, required, options.boost)),
    candidates() {
      const perClause = clauses.map((clause) => unionOf(clause.variants.map((variant) => index.documents.inverted.termDocs(field, variant.term))));
      return options.operator === 'and' ? intersectionOf(perClause) ?? new Set<number>() : (unionOf(perClause) ?? new Set<number>());
    },
    collectHighlightTerms(highlight) {
      addHighlightTerms(highlight, field, clauses.flatMap((clause) => clause.variants.map((variant) => variant.term)));
    },
  };
}

function phraseFrequency(data: TextFieldData, tokens: Token[], slop: number, lastTerms: Set<string> | undefined): number {
  const first = tokens[0]!;
  const starts = lastTerms && tokens.length === 1 ? [...lastTerms].flatMap((term) => data.positions.get(term) ?? []) : (data.positions.get(first.term) ?? []);
  return starts.filter((start) =>
    tokens.slice(1).every((token, offset) => {
      const expected = start + token.position - first.position;
      const isLast = offset === tokens.length - 2;
      const candidates = isLast && lastTerms ? [...lastTerms].flatMap((term) => data.positions.get(term) ?? []) : (data.positions.get(token.term) ?? []);
      return candidates.some((position) => Math.abs(position - expected) <= slop);
    }),
  ).length;
}

/** A phrase query: the analysed tokens in order (within `slop` positions); optionally the last one as a prefix. */
export function phraseQuery(index: EsIndex, field: string, tokens: Token[], slop: number, boost: number, prefixMaxExpansions?: number): Query {
  const stats = index.documents.statsFor(field);
  const lastToken = tokens.at(-1);
  const lastTerms =
    prefixMaxExpansions !== undefined && lastToken
      ? new Set(prefixExpansions(lastToken.term, stats.docFreq.keys(), prefixMaxExpansions).map((expansion) => expansion.term))
      : undefined;
  const idfSum = tokens.reduce((sum, token) => sum + idf(stats.docFreq.get(token.term) ?? 0, stats.docCount), 0);
  const column = index.documents.inverted.column(field);
  return {
    score(doc) {
      const data = textData(column, doc);
      if (!data || tokens.length === 0) return undefined;
      const freq = phraseFrequency(data, tokens, slop, lastTerms);
      return freq > 0 ? boost * idfSum * tfNorm(freq, data.length, stats.averageLength()) : undefined;
    },
    candidates() {
      const inverted = index.documents.inverted;
      const perToken = tokens.map((token, position) =>
        position === tokens.length - 1 && lastTerms ? unionOf([...lastTerms].map((term) => inverted.termDocs(field, term))) : inverted.termDocs(field, token.term),
      );
      return intersectionOf(perToken) ?? new Set<number>();
    },
    collectHighlightTerms(highlight) {
      addHighlightTerms(highlight, field, [...tokens.map((token) => token.term), ...(lastTerms ?? [])]);
    },
  };
}
