import { illegalArgument, parsingError } from '../../errors.js';
import { checkOptions } from './options.js';
import type { EsIndex } from '../../store/es-index.js';
import { wildcardMatcher } from '../../store/index-names.js';
import { requireObject, type JsonObject } from './clause-body.js';
import { fullTextFieldQuery, type FullTextKind } from './full-text.js';
import { candidatesOf, lenientQuery, unionOf, type Query, type QueryBuilder } from './query.js';

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

function combine(queries: Query[], sum: boolean, tieBreaker: number, boost: number): Query {
  return {
    score(doc) {
      let matched = false;
      let total = 0;
      let best = -Infinity;
      for (const query of queries) {
        const score = query.score(doc);
        if (score === undefined) continue;
        matched = true;
        total += score;
        best = Math.max(best, score);
      }
      if (!matched) return undefined;
      if (sum) return total * boost;
      return (best + tieBreaker * (total - best)) * boost;
    },
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
