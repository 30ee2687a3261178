import type { FieldMapping } from '../../mapping/field-mapping.js';
import type { IndexedValue } from '../../mapping/field-values.js';
import { illegalArgument, parsingError } from '../../errors.js';
import type { EsIndex } from '../../store/es-index.js';
import { expandFuzzy } from '../fuzzy.js';
import { exactValueScore, termScore } from '../scoring.js';
import { boostOf, fieldClause, requireObject } from './clause-body.js';
import { exactValues, queryValue, termsOrValues } from './field-access.js';
import type { StoredDocument } from '../../store/stored-document.js';
import { addHighlightTerms, constantScore, matchNone, unionOf, type Query, type QueryBuilder } from './query.js';
import { rangeQuery } from './range.js';
import { wildcardMatcher } from '../../store/index-names.js';
import { checkOptions } from './options.js';
import { idDocs, metadataExistsQuery, metadataFieldOf, metadataQuery } from './metadata-fields.js';

function keywordTermQuery(index: EsIndex, field: string, value: IndexedValue, boost: number): Query {
  const inverted = index.documents.inverted;
  const matching = inverted.valueDocs(field, value);
  const score = boost * exactValueScore(matching.size, inverted.docsWithField(field).size);
  const column = inverted.column(field);
  return {
    score: (doc) => (exactValues(column, doc)?.includes(value) ? score : undefined),
    candidates: () => matching,
    collectHighlightTerms: (terms) => addHighlightTerms(terms, field, [String(value)]),
  };
}

function textTokenQuery(index: EsIndex, field: string, term: string, boost: number): Query {
  const stats = index.documents.statsFor(field);
  const column = index.documents.inverted.column(field);
  return {
    score(doc) {
      const data = column[doc.docNo];
      if (data?.kind !== 'text') return undefined;
      const score = termScore(stats, data, term);
      return score === undefined ? undefined : score * boost;
    },
    candidates: () => index.documents.inverted.termDocs(field, term),
    collectHighlightTerms: (terms) => addHighlightTerms(terms, field, [term]),
  };
}

/** An exact-value query on one field: token match on text, scored value match on keyword, constant match otherwise. */
export function exactTermQuery(index: EsIndex, field: FieldMapping | undefined, raw: unknown, boost: number): Query {
  if (!field) return matchNone;
  if (field.kind === 'text') return textTokenQuery(index, field.path, String(raw), boost);
  const value = queryValue(field, raw);
  if (field.kind === 'keyword') return keywordTermQuery(index, field.path, value, boost);
  const column = index.documents.inverted.column(field.path);
  return constantScore((doc) => exactValues(column, doc)?.includes(value) ?? false, boost, undefined, () => index.documents.inverted.valueDocs(field.path, value));
}

/** The documents holding any of these terms (text) or values (other types) of a field. */
function docsWithAny(index: EsIndex, field: FieldMapping, wanted: Iterable<IndexedValue>) {
  const inverted = index.documents.inverted;
  return unionOf([...wanted].map((value) => (field.kind === 'text' ? inverted.termDocs(field.path, String(value)) : inverted.valueDocs(field.path, value))));
}

/** The distinct indexed terms (text) or values (other types) of a field. */
function vocabularyOf(index: EsIndex, field: FieldMapping): IndexedValue[] {
  return field.kind === 'text' ? [...index.documents.statsFor(field.path).docFreq.keys()] : [...index.documents.inverted.values(field.path)];
}

function tokensOrValues(index: EsIndex, field: FieldMapping): (doc: StoredDocument) => string[] {
  const column = index.documents.inverted.column(field.path);
  return (doc) => termsOrValues(column, doc).map(String);
}

function stringMatchQuery(index: EsIndex, body: unknown, queryType: string, valueKey: string, matches: (candidate: string, value: string) => boolean): Query {
  const { field, options } = fieldClause(body, queryType, valueKey);
  checkOptions(queryType, options, [valueKey, 'boost', 'case_insensitive']);
  metadataFieldOf(field, queryType, false);
  const mapping = index.mappings.field(field);
  if (!mapping) return matchNone;
  const caseInsensitive = options['case_insensitive'] === true;
  const value = String(options[valueKey]);
  const wanted = caseInsensitive ? value.toLowerCase() : value;
  const accepts = (candidate: string) => matches(caseInsensitive ? candidate.toLowerCase() : candidate, wanted);
  const tokensOf = tokensOrValues(index, mapping);
  return constantScore(
    (doc) => tokensOf(doc).some(accepts),
    boostOf(options),
    (terms) => {
      const vocabulary = mapping.kind === 'text' ? index.documents.statsFor(field).docFreq.keys() : [];
      addHighlightTerms(terms, field, [...vocabulary].filter(accepts));
    },
    () => docsWithAny(index, mapping, vocabularyOf(index, mapping).filter((value) => accepts(String(value)))),
  );
}

function caseInsensitiveTerm(index: EsIndex, field: string, value: string, boost: number): Query {
  const mapping = index.mappings.field(field);
  if (!mapping) return matchNone;
  if (mapping.kind !== 'text' && mapping.kind !== 'keyword') throw illegalArgument(`[case_insensitive] is not supported on [${mapping.type}] field [${field}] by the es-standin`);
  const wanted = value.toLowerCase();
  const accepted = new Set(vocabularyOf(index, mapping).filter((candidate) => String(candidate).toLowerCase() === wanted).map(String));
  const tokensOf = tokensOrValues(index, mapping);
  return constantScore(
    (doc) => tokensOf(doc).some((token) => accepted.has(token)),
    boost,
    (highlight) => addHighlightTerms(highlight, field, accepted),
    () => docsWithAny(index, mapping, accepted),
  );
}

const term: QueryBuilder = (body, index) => {
  const { field, options } = fieldClause(body, 'term', 'value');
  checkOptions('term', options, ['value', 'boost', 'case_insensitive']);
  if (options['value'] === undefined) throw parsingError('[term] query requires a value');
  const metadata = metadataFieldOf(field, 'term', options['case_insensitive'] !== true);
  if (metadata) return metadataQuery(index, metadata, [options['value']], boostOf(options), true);
  if (options['case_insensitive'] === true) return caseInsensitiveTerm(index, field, String(options['value']), boostOf(options));
  return exactTermQuery(index, index.mappings.field(field), options['value'], boostOf(options));
};

const terms: QueryBuilder = (body, index) => {
  const object = requireObject(body, 'terms');
  const entries = Object.entries(object).filter(([key]) => key !== 'boost' && key !== '_name');
  const [entry] = entries;
  if (!entry || entries.length !== 1) throw parsingError('[terms] query requires exactly one field');
  const [fieldName, rawValues] = entry;
  if (object['_name'] !== undefined) throw parsingError('[terms] query does not support [_name] in the es-standin');
  if (!Array.isArray(rawValues)) throw parsingError('[terms] the es-standin resolves terms lookups only in a search query and post_filter and in _count and _delete_by_query; pass an array of values here');
  const metadata = metadataFieldOf(fieldName, 'terms', true);
  if (metadata) return metadataQuery(index, metadata, rawValues, boostOf(object), false);
  const field = index.mappings.field(fieldName);
  if (!field) return matchNone;
  const boost = boostOf(object);
  if (field.kind === 'text') {
    const wanted = new Set(rawValues.map(String));
    const tokensOf = tokensOrValues(index, field);
    return constantScore(
      (doc) => tokensOf(doc).some((token) => wanted.has(token)),
      boost,
      (highlight) => addHighlightTerms(highlight, fieldName, wanted),
      () => docsWithAny(index, field, wanted),
    );
  }
  const wanted = new Set(rawValues.map((raw) => queryValue(field, raw)));
  const column = index.documents.inverted.column(fieldName);
  return constantScore(
    (doc) => exactValues(column, doc)?.some((value) => wanted.has(value)) ?? false,
    boost,
    (highlight) => addHighlightTerms(highlight, fieldName, [...wanted].map(String)),
    () => docsWithAny(index, field, wanted),
  );
};

const exists: QueryBuilder = (body, index) => {
  const object = requireObject(body, 'exists');
  checkOptions('exists', object, ['field', 'boost']);
  const field = object['field'];
  if (typeof field !== 'string') throw parsingError('[exists] must be provided with a [field]');
  if (metadataFieldOf(field, 'exists', true)) return metadataExistsQuery(boostOf(object));
  const isMatch = wildcardMatcher(field);
  const prefix = `${field}.`;
  const inverted = index.documents.inverted;
  return constantScore(
    (doc) => [...doc.fields.keys()].some((path) => isMatch(path) || path.startsWith(prefix)),
    boostOf(object),
    undefined,
    () => unionOf([...inverted.fields()].filter((path) => isMatch(path) || path.startsWith(prefix)).map((path) => inverted.docsWithField(path))),
  );
};

const ids: QueryBuilder = (body, index) => {
  const object = requireObject(body, 'ids');
  checkOptions('ids', object, ['values', 'boost']);
  const values = new Set([object['values'] ?? []].flat().map(String));
  return constantScore((doc) => values.has(doc.id), boostOf(object), undefined, () => idDocs(index, values));
};

const prefix: QueryBuilder = (body, index) => stringMatchQuery(index, body, 'prefix', 'value', (candidate, value) => candidate.startsWith(value));

const wildcard: QueryBuilder = (body, index) =>
  stringMatchQuery(index, body, 'wildcard', 'value', (candidate, value) =>
    new RegExp(`^${value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`).test(candidate),
  );

const fuzzy: QueryBuilder = (body, index) => {
  const { field, options } = fieldClause(body, 'fuzzy', 'value');
  checkOptions('fuzzy', options, ['value', 'boost', 'fuzziness', 'prefix_length', 'max_expansions', 'transpositions']);
  if (options['transpositions'] === false) throw illegalArgument('[fuzzy] the es-standin always counts transpositions as one edit; [transpositions: false] is not supported');
  metadataFieldOf(field, 'fuzzy', false);
  const value = String(options['value']);
  const mapping = index.mappings.field(field);
  if (!mapping) return matchNone;
  const vocabulary = [...new Set(vocabularyOf(index, mapping).map(String))];
  const expansions = expandFuzzy(value, vocabulary, {
    fuzziness: options['fuzziness'] ?? 'AUTO',
    prefixLength: Number(options['prefix_length'] ?? 0),
    maxExpansions: Number(options['max_expansions'] ?? 50),
  });
  const accepted = new Set(expansions.map((expansion) => expansion.term));
  const tokensOf = tokensOrValues(index, mapping);
  return constantScore(
    (doc) => tokensOf(doc).some((token) => accepted.has(token)),
    boostOf(options),
    (highlight) => addHighlightTerms(highlight, field, accepted),
    () => docsWithAny(index, mapping, vocabularyOf(index, mapping).filter((value) => accepted.has(String(value)))),
  );
};

/** Term-level queries by name. */
export const termLevelQueries: Record<string, QueryBuilder> = { term, terms, range: rangeQuery, exists, ids, prefix, wildcard, fuzzy };
