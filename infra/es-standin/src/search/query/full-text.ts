import type { Token } from '../../analysis/token.js';
import { illegalArgument, parsingError } from '../../errors.js';
import { metadataFieldOf, metadataQuery } from './metadata-fields.js';
import { checkOptions } from './options.js';
import { searchAnalyzer } from '../../mapping/document-fields.js';
import type { FieldMapping } from '../../mapping/field-mapping.js';
import type { EsIndex } from '../../store/es-index.js';
import { boostOf, fieldClause, type JsonObject } from './clause-body.js';
import { constantScore, lenientQuery, matchNone, type Query, type QueryBuilder } from './query.js';
import { exactTermQuery } from './term-level.js';
import { phraseQuery, textMatchQuery } from './text-field-query.js';

/** The flavours of full-text query on one field. */
export type FullTextKind = 'match' | 'match_phrase' | 'match_phrase_prefix' | 'match_bool_prefix';

function analyse(index: EsIndex, field: FieldMapping, text: string, analyzerName: unknown): Token[] {
  const analyzer = typeof analyzerName === 'string' ? index.analyzers.get(analyzerName) : searchAnalyzer(field, index.analyzers);
  return analyzer(text);
}

function operatorOf(options: JsonObject): 'or' | 'and' {
  const operator = String(options['operator'] ?? 'or').toLowerCase();
  if (operator !== 'or' && operator !== 'and') throw parsingError(`[match] query does not support operator [${operator}]`);
  return operator;
}

/** The options each full-text query on one field implements. */
export const fullTextOptions: Record<FullTextKind, readonly string[]> = {
  match: ['query', 'operator', 'minimum_should_match', 'fuzziness', 'prefix_length', 'max_expansions', 'analyzer', 'boost', 'lenient', 'zero_terms_query'],
  match_phrase: ['query', 'slop', 'analyzer', 'boost', 'zero_terms_query'],
  match_phrase_prefix: ['query', 'slop', 'analyzer', 'max_expansions', 'boost', 'zero_terms_query'],
  match_bool_prefix: ['query', 'operator', 'minimum_should_match', 'fuzziness', 'prefix_length', 'max_expansions', 'analyzer', 'boost'],
};

function zeroTermsQuery(options: JsonObject): Query {
  const mode = String(options['zero_terms_query'] ?? 'none').toLowerCase();
  if (mode === 'all') return constantScore(() => true, boostOf(options));
  if (mode !== 'none') throw illegalArgument(`[zero_terms_query] must be one of [none, all], got [${mode}]`);
  return matchNone;
}

/** A full-text query of the given kind on one field, with options as the match family accepts them. */
export function fullTextFieldQuery(index: EsIndex, fieldName: string, kind: FullTextKind, options: JsonObject): Query {
  const text = options['query'];
  if (text === undefined || text === null) throw parsingError(`[${kind}] requires query value`);
  const metadata = metadataFieldOf(fieldName, kind, kind === 'match');
  if (metadata) return metadataQuery(index, metadata, [text], boostOf(options), true);
  const field = index.mappings.field(fieldName);
  if (!field) return matchNone;
  const boost = boostOf(options);
  if (field.kind !== 'text') return options['lenient'] === true ? lenientQuery(() => exactTermQuery(index, field, text, boost)) : exactTermQuery(index, field, text, boost);
  const tokens = analyse(index, field, String(text), options['analyzer']);
  if (tokens.length === 0) return zeroTermsQuery(options);
  const maxExpansions = Number(options['max_expansions'] ?? 50);
  if (kind === 'match_phrase' || kind === 'match_phrase_prefix') {
    return phraseQuery(index, fieldName, tokens, Number(options['slop'] ?? 0), boost, kind === 'match_phrase_prefix' ? maxExpansions : undefined);
  }
  const fuzziness = options['fuzziness'];
  return textMatchQuery(
    index,
    fieldName,
    tokens.map((token) => token.term),
    {
      operator: operatorOf(options),
      minimumShouldMatch: options['minimum_should_match'],
      fuzzy: fuzziness === undefined ? undefined : { fuzziness, prefixLength: Number(options['prefix_length'] ?? 0), maxExpansions },
      prefixLastTerm: kind === 'match_bool_prefix',
      maxExpansions,
      boost,
    },
  );
}

function fieldQuery(kind: FullTextKind): QueryBuilder {
  return (body, index) => {
    const { field, options } = fieldClause(body, kind, 'query');
    checkOptions(kind, options, fullTextOptions[kind]);
    return fullTextFieldQuery(index, field, kind, options);
  };
}

/** Full-text queries on a single field, by name. */
export const fullTextQueries: Record<string, QueryBuilder> = {
  match: fieldQuery('match'),
  match_phrase: fieldQuery('match_phrase'),
  match_phrase_prefix: fieldQuery('match_phrase_prefix'),
  match_bool_prefix: fieldQuery('match_bool_prefix'),
};
