import { illegalArgument, parsingError } from '../../errors.js';
import { checkOptions } from './options.js';
import type { EsIndex } from '../../store/es-index.js';
import { wildcardMatcher } from '../../store/index-names.js';
import { requireObject, type JsonObject } from './clause-body.js';
import { fullTextFieldQuery, type FullTextKind } from './full-text.js';
import { candidatesOf, lenientQuery, once, scoresOf, unionOf, type DocScores, type Query, type QueryBuilder } from './query.js';
import { ScoreScratch } from './score-scratch.js';

const scratch = new ScoreScratch();

interface BoostedField {
  path: string;
  boost: number;
}

const kindsByType: Record<string, FullTextKind> = {
  best_fields: 'match',
  most_fields: 'match',
  phrase: 'match_phrase',
  phrase_prefix: 'match_phrase_prefix',
  bool_prefix: 'match_bool_prefix',
};

function searchableFields(index: EsIndex): string[] {
  return index.mappings.fieldPaths().filter((path) => {
    const kind = index.mappings.field(path)?.kind;
    return kind === 'text' || kind === 'keyword';
  });
}

function expandFields(index: EsIndex, specs: string[]): BoostedField[] {
  return specs.flatMap((spec) => {
    const [pattern = '', boost] = spec.split('^');
    const matches = wildcardMatcher(pattern);
    const paths = pattern.includes('*') ? searchableFields(index).filter(matches) : [pattern];
    return paths.map((path) => ({ path, boost: boost === undefined ? 1 : Number(boost) }));
  });
}

type FieldScore = (position: number) => number | undefined;

function combined(fieldScore: FieldScore, count: number, sum: boolean, tieBreaker: number, boost: number): number | undefined {
  let matched = false;
  let total = 0;
  let best = -Infinity;
  for (let position = 0; position < count; position += 1) {
    const score = fieldScore(position);
    if (score === undefined) continue;
    matched = true;
    total += score;
    best = Math.max(best, score);
  }
  if (!matched) return undefined;
  if (sum) return total * boost;
  return (best + tieBreaker * (total - best)) * boost;
}

/**
 * The combined scores of the documents any field query matches, from each field query's own postings scores: each
 * document's field scores arrive field by field, so they are summed and compared in the order `score` uses.
 */
function combinedScores(queries: Query[], sum: boolean, tieBreaker: number, boost: number): DocScores | undefined {
  const perField = queries.map(scoresOf);
  if (perField.some((scores) => scores === undefined)) return undefined;
  const fields = perField as DocScores[];
  const { sums: totals, partials: best, marks: seen } = scratch.ensure(Math.max(0, ...fields.map((field) => (field.docs.at(-1) ?? -1) + 1)));
  const touched: number[] = [];
  for (const field of fields) {
    field.docs.forEach((docNo, position) => {
      const score = field.scores[position]!;
      if (seen[docNo] === 0) {
        seen[docNo] = 1;
        touched.push(docNo);
        totals[docNo] = 0 + score;
        best[docNo] = Math.max(-Infinity, score);
      } else {
        totals[docNo] = totals[docNo]! + score;
        best[docNo] = Math.max(best[docNo]!, score);
      }
    });
  }
  touched.sort((a, b) => a - b);
  const scores = touched.map((docNo) => {
    seen[docNo] = 0;
    const total = totals[docNo]!;
    return sum ? total * boost : (best[docNo]! + tieBreaker * (total - best[docNo]!)) * boost;
  });
  return { docs: touched, scores };
}

function combine(queries: Query[], sum: boolean, tieBreaker: number, boost: number): Query {
  return {
    score: (doc) => combined((position) => queries[position]!.score(doc), queries.length, sum, tieBreaker, boost),
    scores: once(() => combinedScores(queries, sum, tieBreaker, boost)),
    candidates: () => unionOf(queries.map(candidatesOf)),
    collectHighlightTerms: (terms) => queries.forEach((query) => query.collectHighlightTerms(terms)),
  };
}

function lenientFieldQuery(index: EsIndex, field: BoostedField, kind: FullTextKind, options: JsonObject): Query {
  return lenientQuery(() => fullTextFieldQuery(index, field.path, kind, { ...options, boost: field.boost }));
}

const multiMatchOptions = [
  'query', 'fields', 'type', 'tie_breaker', 'operator', 'minimum_should_match', 'fuzziness', 'prefix_length', 'max_expansions', 'analyzer', 'slop', 'boost',
  'lenient', 'zero_terms_query',
];

/** `multi_match` (best_fields, most_fields, phrase, phrase_prefix, bool_prefix) over fields with `^boost` and wildcards. */
export const multiMatch: QueryBuilder = (body, index) => {
  const options = requireObject(body, 'multi_match');
  const type = String(options['type'] ?? 'best_fields');
  const kind = kindsByType[type];
  if (!kind) {
    if (type === 'cross_fields') throw illegalArgument('[multi_match] the es-standin does not support type [cross_fields]');
    throw parsingError(`[multi_match] query does not support type ${type}`);
  }
  checkOptions('multi_match', options, multiMatchOptions);
  if (options['query'] === undefined) throw parsingError('No text specified for multi_match query');
  const specs = [options['fields'] ?? ['*']].flat().map(String);
  const { fields: _fields, type: _type, tie_breaker: tieBreaker, boost, ...fieldOptions } = options;
  const queries = expandFields(index, specs).map((field) => lenientFieldQuery(index, field, kind, fieldOptions));
  return combine(queries, type === 'most_fields' || type === 'bool_prefix', Number(tieBreaker ?? 0), boost === undefined ? 1 : Number(boost));
};
