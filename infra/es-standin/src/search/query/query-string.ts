import { parsingError } from '../../errors.js';
import type { EsIndex } from '../../store/es-index.js';
import { wildcardMatcher } from '../../store/index-names.js';
import { requireObject, type JsonObject } from './clause-body.js';
import { QueryStringParser, type QueryStringLeaf, type QueryStringNode } from './query-string-syntax.js';
import { boolQuery, disMaxQuery } from './compound.js';
import { lenientQuery, type CompileClause, type Query, type QueryBuilder } from './query.js';

const options = new Set(['query', 'default_field', 'fields', 'default_operator', 'boost', 'lenient', 'tie_breaker']);

interface QueryStringSettings {
  fields: string[];
  operator: 'and' | 'or';
  lenient: boolean;
  tieBreaker: number;
}

function operatorOf(raw: unknown): 'and' | 'or' {
  const operator = String(raw ?? 'or').toLowerCase();
  if (operator !== 'and' && operator !== 'or') throw parsingError(`[query_string] default_operator [${String(raw)}] is not allowed, use AND or OR`);
  return operator;
}

function expandFields(index: EsIndex, specs: string[]): string[] {
  const leaves = index.mappings.fieldPaths().filter((path) => {
    const kind = index.mappings.field(path)?.kind;
    return kind !== 'object' && kind !== 'unindexed';
  });
  return specs.flatMap((spec) => (spec.includes('*') ? leaves.filter(wildcardMatcher(spec)) : [spec]));
}

function leafClause(leaf: QueryStringLeaf, field: string, settings: QueryStringSettings): JsonObject {
  const boost = leaf.boost === undefined ? {} : { boost: leaf.boost };
  if (leaf.kind === 'phrase') return { match_phrase: { [field]: { query: leaf.text, ...(leaf.tilde ? { slop: Number(leaf.tilde === 'AUTO' ? 2 : leaf.tilde) } : {}), ...boost } } };
  const fuzziness = leaf.tilde === undefined ? {} : { fuzziness: leaf.tilde === 'AUTO' ? 'AUTO' : Number(leaf.tilde) };
  return { match: { [field]: { query: leaf.text, operator: settings.operator, ...fuzziness, ...boost } } };
}

function compileLeaf(index: EsIndex, leaf: QueryStringLeaf, settings: QueryStringSettings, compile: CompileClause): Query {
  if (leaf.kind === 'match_all') return compile({ match_all: {} });
  const fields = leaf.field ? [leaf.field] : expandFields(index, settings.fields);
  const lenient = settings.lenient || (!leaf.field && settings.fields.some((field) => field.includes('*')));
  const queries = fields.map((field) => (lenient ? lenientQuery(() => compile(leafClause(leaf, field, settings))) : compile(leafClause(leaf, field, settings))));
  return queries.length === 1 ? queries[0]! : disMaxQuery(queries, settings.tieBreaker);
}

function compileNode(index: EsIndex, node: QueryStringNode, settings: QueryStringSettings, compile: CompileClause): Query {
  if (node.kind !== 'group') return compileLeaf(index, node, settings, compile);
  const compiled = node.clauses.map((clause) => ({ occur: clause.occur, query: compileNode(index, clause.node, settings, compile) }));
  if (compiled.length === 1 && compiled[0]!.occur !== 'must_not') return compiled[0]!.query;
  const byOccur = (occur: string) => compiled.filter((clause) => clause.occur === occur).map((clause) => clause.query);
  const must = byOccur('must');
  const should = byOccur('should');
  const mustNot = byOccur('must_not');
  const pureNegative = must.length === 0 && should.length === 0;
  return boolQuery({ must: pureNegative ? [compile({ match_all: {} })] : must, should, filter: [], mustNot });
}

/** `query_string` (the common subset: terms, field:value, quoted phrases, AND/OR/NOT/+/-, groups, `^` boosts, `~` fuzziness and slop). */
export const queryString: QueryBuilder = (body, index, compile) => {
  const object = requireObject(body, 'query_string');
  const unknown = Object.keys(object).find((key) => !options.has(key));
  if (unknown) throw parsingError(`[query_string] query does not support [${unknown}]`);
  if (typeof object['query'] !== 'string') throw parsingError('[query_string] must be provided with a [query]');
  if (object['default_field'] !== undefined && object['fields'] !== undefined) throw parsingError('[query_string] cannot use [fields] parameter in conjunction with [default_field]');
  const fields = object['fields'] === undefined ? [String(object['default_field'] ?? '*')] : [object['fields']].flat().map(String);
  const settings: QueryStringSettings = {
    fields,
    operator: operatorOf(object['default_operator']),
    lenient: object['lenient'] === true,
    tieBreaker: Number(object['tie_breaker'] ?? 0),
  };
  const parsed = new QueryStringParser(object['query'], settings.operator).parse();
  const query = compileNode(index, parsed, settings, compile);
  const boost = object['boost'] === undefined ? 1 : Number(object['boost']);
  return boost === 1 ? query : disMaxQuery([query], 0, boost);
};

/** The query a `q` URI parameter stands for, with `df` and `default_operator`. */
export function uriQuery(q: string, defaultField: string | null, defaultOperator: string | null): JsonObject {
  return { query_string: { query: q, ...(defaultField === null ? {} : { default_field: defaultField }), ...(defaultOperator === null ? {} : { default_operator: defaultOperator }) } };
}
