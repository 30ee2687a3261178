import { wildcardMatcher } from '../store/index-names.js';
import { parsingError } from '../errors.js';
import { isObject } from './query/clause-body.js';

/** Which parts of `_source` a hit returns. */
export interface SourceFilter {
  enabled: boolean;
  includes: string[];
  excludes: string[];
}

function patterns(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return [value].flat().map(String).flatMap((entry) => entry.split(',')).filter((entry) => entry !== '');
}

/** Parses the `_source` body option and the `_source`, `_source_includes`, `_source_excludes` parameters. */
export function parseSourceFilter(body: unknown, parameters?: URLSearchParams): SourceFilter {
  const parameter = parameters?.get('_source');
  const raw = body ?? (parameter === null || parameter === undefined ? undefined : parameter === 'false' ? false : parameter === 'true' ? true : parameter);
  const extraIncludes = patterns(parameters?.get('_source_includes'));
  const extraExcludes = patterns(parameters?.get('_source_excludes'));
  if (raw === false) return { enabled: false, includes: [], excludes: [] };
  if (isObject(raw)) {
    const unknown = Object.keys(raw).find((key) => !['includes', 'excludes', 'include', 'exclude'].includes(key));
    if (unknown) throw parsingError(`Unknown key for a VALUE_STRING in [${unknown}].`);
    return {
      enabled: true,
      includes: [...patterns(raw['includes'] ?? raw['include']), ...extraIncludes],
      excludes: [...patterns(raw['excludes'] ?? raw['exclude']), ...extraExcludes],
    };
  }
  return { enabled: true, includes: [...(raw === true ? [] : patterns(raw)), ...extraIncludes], excludes: extraExcludes };
}

function matchesAny(path: string, matchers: ((name: string) => boolean)[]): boolean {
  return matchers.some((matcher) => matcher(path));
}

function couldContainMatch(path: string, includes: string[]): boolean {
  return includes.some((pattern) => pattern.startsWith(`${path}.`) || pattern.startsWith('*'));
}

function filterValue(value: unknown, path: string, include: ((name: string) => boolean)[], exclude: ((name: string) => boolean)[], includes: string[]): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => filterValue(item, path, include, exclude, includes)).filter((item) => item !== undefined);
    return items.length > 0 || value.length === 0 ? items : undefined;
  }
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (matchesAny(childPath, exclude)) continue;
    const included = include.length === 0 || matchesAny(childPath, include);
    if (included) {
      result[key] = filterValue(child, childPath, [], exclude, []);
    } else if (isObject(child) || Array.isArray(child)) {
      if (!couldContainMatch(childPath, includes)) continue;
      const filtered = filterValue(child, childPath, include, exclude, includes);
      if (filtered !== undefined && !(isObject(filtered) && Object.keys(filtered).length === 0)) result[key] = filtered;
    }
  }
  return result;
}

type Matchers = {
  include: ((name: string) => boolean)[];
  exclude: ((name: string) => boolean)[];
  /** Set when the filter only names top-level fields (no wildcard, no dot, no excludes): a plain pick of those keys. */
  topLevel?: Set<string>;
};

const isTopLevelName = (pattern: string) => !pattern.includes('*') && !pattern.includes('.');

/** The compiled patterns of each filter, made once per request rather than once per hit. */
const compiled = new WeakMap<SourceFilter, Matchers>();

function matchersOf(filter: SourceFilter): Matchers {
  let matchers = compiled.get(filter);
  if (!matchers) {
    const topLevel = filter.excludes.length === 0 && filter.includes.every(isTopLevelName) ? new Set(filter.includes) : undefined;
    matchers = { include: filter.includes.map(wildcardMatcher), exclude: filter.excludes.map(wildcardMatcher), ...(topLevel ? { topLevel } : {}) };
    compiled.set(filter, matchers);
  }
  return matchers;
}

/** The part of a source document the filter keeps; undefined when `_source` is disabled. */
export function filterSource(source: Record<string, unknown>, filter: SourceFilter): Record<string, unknown> | undefined {
  if (!filter.enabled) return undefined;
  if (filter.includes.length === 0 && filter.excludes.length === 0) return source;
  const { include, exclude, topLevel } = matchersOf(filter);
  if (topLevel && !Array.isArray(source)) {
    const picked: Record<string, unknown> = {};
    for (const key of Object.keys(source)) if (topLevel.has(key)) picked[key] = filterValue(source[key], key, [], [], []);
    return picked;
  }
  return filterValue(source, '', include, exclude, filter.includes) as Record<string, unknown>;
}
