import { parsingError } from '../../errors.js';
import { asList, boostOf, isObject, requireObject } from './clause-body.js';
import { requiredMatches } from './minimum-should-match.js';
import { checkOptions } from './options.js';
import type { DocumentStore } from '../../store/document-store.js';
import { candidatesOf, constantScore, intersectionOf, matchNone, once, scoreLookup, scoresOf, unionOf, type DocScores, type Query, type QueryBuilder } from './query.js';

const boolKeys = new Set(['must', 'should', 'filter', 'must_not', 'minimum_should_match', 'boost', 'adjust_pure_negative']);

function collectAll(queries: Query[]): Query['collectHighlightTerms'] {
  return (terms) => queries.forEach((query) => query.collectHighlightTerms(terms));
}

/** The clauses of a bool query, compiled. */
export interface BoolClauses {
  must: Query[];
  should: Query[];
  filter: Query[];
  mustNot: Query[];
}

/**
 * The scores of a bool query of scoring `must` clauses only (no `should`), from the first one's postings scores: each
 * document it scores is checked against the filters and the other clauses, and summed in clause order as `score` does.
 */
function mustScores(documents: DocumentStore, { must, should, filter, mustNot }: BoolClauses, boost: number, required: number): DocScores | undefined {
  if (must.length === 0 || should.length > 0 || required > 0) return undefined;
  const perMust = must.map(scoresOf);
  if (perMust.some((scores) => scores === undefined)) return undefined;
  const [first, ...others] = perMust as DocScores[];
  const lookups = others.map(scoreLookup);
  const docs: number[] = [];
  const scores: number[] = [];
  first!.docs.forEach((docNo, position) => {
    const doc = documents.numberedDoc(docNo);
    if (!doc) return;
    if (filter.some((query) => query.score(doc) === undefined)) return;
    if (mustNot.some((query) => query.score(doc) !== undefined)) return;
    let total = 0 + first!.scores[position]!;
    for (const lookup of lookups) {
      const score = lookup.get(docNo);
      if (score === undefined) return;
      total += score;
    }
    docs.push(docNo);
    scores.push(total * boost);
  });
  return { docs, scores };
}

/** A bool query over compiled clauses; `required` should clauses must match (by default: one when nothing else is required). */
export function boolQuery(clauses: BoolClauses, boost = 1, minimumShouldMatch?: unknown, documents?: DocumentStore): Query {
  const { must, should, filter, mustNot } = clauses;
  const scoring = [...must, ...should];
  if (scoring.length === 0 && filter.length === 0 && mustNot.length === 0) return constantScore(() => true, boost);
  const required = requiredMatches(minimumShouldMatch, should.length, must.length + filter.length > 0 ? 0 : 1);
  return {
    score(doc) {
      if (filter.some((query) => query.score(doc) === undefined)) return undefined;
      if (mustNot.some((query) => query.score(doc) !== undefined)) return undefined;
      let total = 0;
      for (const query of must) {
        const score = query.score(doc);
        if (score === undefined) return undefined;
        total += score;
      }
      let matchedShould = 0;
      for (const query of should) {
        const score = query.score(doc);
        if (score === undefined) continue;
        matchedShould += 1;
        total += score;
      }
      return matchedShould >= required ? total * boost : undefined;
    },
    scores: once(() => (documents ? mustScores(documents, clauses, boost, required) : undefined)),
    candidates() {
      const narrowed = intersectionOf([...must, ...filter].map(candidatesOf));
      if (narrowed || required === 0) return narrowed;
      return unionOf(should.map(candidatesOf));
    },
    collectHighlightTerms: collectAll([...must, ...should, ...filter]),
  };
}

const bool: QueryBuilder = (body, index, compile) => {
  const options = requireObject(body, 'bool');
  const unknown = Object.keys(options).find((key) => !boolKeys.has(key));
  if (unknown) throw parsingError(`[bool] query does not support [${unknown}]`);
  const [must, should, filter, mustNot] = ['must', 'should', 'filter', 'must_not'].map((key) => asList(options[key]).map(compile)) as Query[][];
  return boolQuery({ must: must!, should: should!, filter: filter!, mustNot: mustNot! }, boostOf(options), options['minimum_should_match'], index.documents);
};

const matchAll: QueryBuilder = (body) => {
  const options = isObject(body) ? body : {};
  checkOptions('match_all', options, ['boost']);
  return constantScore(() => true, boostOf(options));
};

const matchNothing: QueryBuilder = (body) => {
  checkOptions('match_none', isObject(body) ? body : {}, ['boost']);
  return matchNone;
};

const constantScoreQuery: QueryBuilder = (body, _index, compile) => {
  const options = requireObject(body, 'constant_score');
  checkOptions('constant_score', options, ['filter', 'boost']);
  if (options['filter'] === undefined) throw parsingError('[constant_score] requires a \'filter\' element');
  const filter = compile(options['filter']);
  return constantScore((doc) => filter.score(doc) !== undefined, boostOf(options), (terms) => filter.collectHighlightTerms(terms), () => candidatesOf(filter));
};

const disMax: QueryBuilder = (body, _index, compile) => {
  const options = requireObject(body, 'dis_max');
  checkOptions('dis_max', options, ['queries', 'tie_breaker', 'boost']);
  return disMaxQuery(asList(options['queries']).map(compile), Number(options['tie_breaker'] ?? 0), boostOf(options));
};

/** The best score of the queries plus `tieBreaker` times the others'. */
export function disMaxQuery(queries: Query[], tieBreaker: number, boost = 1): Query {
  return {
    score(doc) {
      const scores = queries.map((query) => query.score(doc)).filter((score): score is number => score !== undefined);
      if (scores.length === 0) return undefined;
      const best = Math.max(...scores);
      return (best + tieBreaker * (scores.reduce((a, b) => a + b, 0) - best)) * boost;
    },
    candidates: () => unionOf(queries.map(candidatesOf)),
    collectHighlightTerms: collectAll(queries),
  };
}

const boosting: QueryBuilder = (body, _index, compile) => {
  const options = requireObject(body, 'boosting');
  checkOptions('boosting', options, ['positive', 'negative', 'negative_boost', 'boost']);
  const positive = compile(options['positive']);
  const negative = compile(options['negative']);
  const negativeBoost = Number(options['negative_boost'] ?? 1);
  return {
    score(doc) {
      const score = positive.score(doc);
      if (score === undefined) return undefined;
      return negative.score(doc) === undefined ? score : score * negativeBoost;
    },
    candidates: () => candidatesOf(positive),
    collectHighlightTerms: (terms) => positive.collectHighlightTerms(terms),
  };
};

/** Compound and match-all queries by name. */
export const compoundQueries: Record<string, QueryBuilder> = {
  bool,
  match_all: matchAll,
  match_none: matchNothing,
  constant_score: constantScoreQuery,
  dis_max: disMax,
  boosting,
};
