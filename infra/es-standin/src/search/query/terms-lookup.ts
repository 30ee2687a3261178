import { contentParseError } from '../../errors.js';
import { isObject, type JsonObject } from './clause-body.js';

/** Reads the source of a document a terms lookup names; undefined when the index holds no such document. */
export type LookupSource = (index: string, id: string) => Record<string, unknown> | undefined;

const lookupKeys = ['index', 'id', 'path', 'routing'];

interface TermsLookup {
  index: string;
  id: string;
  path: string;
}

function parseLookup(body: JsonObject): TermsLookup {
  const unknown = Object.keys(body).find((key) => !lookupKeys.includes(key));
  if (unknown) throw contentParseError(`[terms_lookup] unknown field [${unknown}]`);
  const wrongType = lookupKeys.find((key) => body[key] !== undefined && typeof body[key] !== 'string');
  if (wrongType) throw contentParseError(`[terms_lookup] failed to parse field [${wrongType}]`);
  const missing = ['index', 'id', 'path'].filter((key) => body[key] === undefined);
  if (missing.length > 0) throw contentParseError(`[terms_lookup] failed to parse object: Required [${missing.join(', ')}]`);
  return { index: body['index'] as string, id: body['id'] as string, path: body['path'] as string };
}

function collectValues(value: unknown, parts: readonly string[], into: unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectValues(item, parts, into);
    return;
  }
  if (parts.length === 0) {
    if (value !== null && value !== undefined && !isObject(value)) into.push(value);
    return;
  }
  if (!isObject(value)) return;
  for (let length = 1; length <= parts.length; length += 1) {
    const key = parts.slice(0, length).join('.');
    if (key in value) collectValues(value[key], parts.slice(length), into);
  }
}

/** The values at a dotted path of a source, through objects and arrays (as Elasticsearch extracts raw values). */
export function valuesAtPath(source: Record<string, unknown>, path: string): unknown[] {
  const values: unknown[] = [];
  collectValues(source, path.split('.'), values);
  return values;
}

function resolveTerms(body: unknown, fetch: LookupSource): unknown {
  if (!isObject(body)) return body;
  let rewritten: JsonObject | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'boost' || key === '_name' || !isObject(value)) continue;
    const lookup = parseLookup(value);
    const source = fetch(lookup.index, lookup.id);
    rewritten ??= { ...body };
    rewritten[key] = source === undefined ? [] : valuesAtPath(source, lookup.path);
  }
  return rewritten ?? body;
}

const clauseKeysByType: Record<string, readonly string[]> = {
  bool: ['must', 'should', 'filter', 'must_not'],
  constant_score: ['filter'],
  dis_max: ['queries'],
  boosting: ['positive', 'negative'],
};

function resolveNested(body: unknown, keys: readonly string[], fetch: LookupSource): unknown {
  if (!isObject(body)) return body;
  let rewritten: JsonObject | undefined;
  for (const key of keys) {
    const value = body[key];
    if (value === undefined) continue;
    const resolved = Array.isArray(value) ? value.map((clause) => resolveTermsLookups(clause, fetch)) : resolveTermsLookups(value, fetch);
    rewritten ??= { ...body };
    rewritten[key] = resolved;
  }
  return rewritten ?? body;
}

/**
 * The query with every `terms` lookup (`{ index, id, path, routing }` in place of the values) replaced by the values
 * the named document holds at the path, as Elasticsearch rewrites it before searching: a missing document or path
 * gives no values (the clause matches nothing), a missing index fails the request.
 */
export function resolveTermsLookups(clause: unknown, fetch: LookupSource): unknown {
  if (!isObject(clause)) return clause;
  const entries = Object.entries(clause);
  if (entries.length !== 1) return clause;
  const [type, body] = entries[0]!;
  if (type === 'terms') return { terms: resolveTerms(body, fetch) };
  const nestedKeys = clauseKeysByType[type];
  return nestedKeys ? { [type]: resolveNested(body, nestedKeys, fetch) } : clause;
}
