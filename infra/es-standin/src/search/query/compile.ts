import { parsingError } from '../../errors.js';
import type { EsIndex } from '../../store/es-index.js';
import { isObject } from './clause-body.js';
import { compoundQueries } from './compound.js';
import { fullTextQueries } from './full-text.js';
import { multiMatch } from './multi-match.js';
import { queryString } from './query-string.js';
import type { Query, QueryBuilder } from './query.js';
import { termLevelQueries } from './term-level.js';

const builders: Record<string, QueryBuilder> = {
  ...compoundQueries,
  ...fullTextQueries,
  multi_match: multiMatch,
  query_string: queryString,
  ...termLevelQueries,
};

/** Compiles a query DSL clause (`{ "<type>": {...} }`) for one index; unknown types are a parsing_exception. */
export function compileQuery(clause: unknown, index: EsIndex): Query {
  if (!isObject(clause)) throw parsingError('query malformed, must start with start_object');
  const entries = Object.entries(clause);
  const [entry] = entries;
  if (!entry) throw parsingError('query malformed, empty clause found');
  if (entries.length > 1) throw parsingError(`[${entry[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const [type, body] = entry;
  const builder = builders[type];
  if (!builder) throw parsingError(`unknown query [${type}]`);
  return builder(body, index, (nested) => compileQuery(nested, index));
}
