import { wildcardMatcher } from '../store/index-names.js';

/** One level of a compiled filter: names leading further down, and whether a name ending here matches. */
interface FilterNode {
  readonly final: boolean;
  readonly terms: Map<string, FilterNode>;
  readonly wildcards: Array<{ readonly matches: (name: string) => boolean; readonly node: FilterNode }>;
  /** A `**` level: it stays active at every depth below. */
  readonly anyDepth: boolean;
  /** Outcomes of names met at this level when it is the only active one (names repeat in every hit and bucket). */
  readonly outcomes: Map<string, Outcome>;
}

type Outcome = typeof matching | FilterNode[] | undefined;
const matching = 'matching';
const maxRememberedNames = 256;

interface BuildNode {
  final: boolean;
  children: Map<string, BuildNode>;
}

/** Splits at the first unescaped dot (`\.` is a dot inside a name); a leading dot does not split. */
function insert(filter: string, node: BuildNode): void {
  let split = -1;
  let escaped = false;
  for (let position = 0; position < filter.length; position++) {
    const char = filter[position];
    if (char === '.') {
      split = position;
      break;
    }
    if (char === '\\' && filter[position + 1] === '.') {
      position++;
      escaped = true;
    }
  }
  const unescape = (name: string) => (escaped ? name.replaceAll('\\.', '.') : name);
  if (split <= 0) {
    node.children.set(unescape(filter), { final: true, children: new Map() });
    return;
  }
  const name = unescape(filter.slice(0, split));
  let child = node.children.get(name);
  if (!child) {
    child = { final: false, children: new Map() };
    node.children.set(name, child);
  }
  if (!child.final) insert(filter.slice(split + 1), child);
}

function build(pattern: string, node: BuildNode): FilterNode {
  const compiled: FilterNode = { final: node.final, terms: new Map(), wildcards: [], anyDepth: pattern === '**', outcomes: new Map() };
  for (const [name, child] of node.children) {
    const childNode = build(name, child);
    if (name.includes('*')) compiled.wildcards.push({ matches: wildcardMatcher(name), node: childNode });
    else compiled.terms.set(name, childNode);
  }
  return compiled;
}

function compile(filters: readonly string[]): FilterNode[] | undefined {
  if (filters.length === 0) return undefined;
  const root: BuildNode = { final: false, children: new Map() };
  for (const filter of filters) insert(filter, root);
  return [build('', root)];
}

/** Whether a property name ends a filter (`matching`), leads further down (the next levels), or matches none (`undefined`). */
function evaluate(name: string, filters: readonly FilterNode[]): Outcome {
  if (filters.length !== 1) return evaluateAll(name, filters);
  const { outcomes } = filters[0]!;
  if (outcomes.has(name)) return outcomes.get(name);
  const outcome = evaluateAll(name, filters);
  if (outcomes.size < maxRememberedNames) outcomes.set(name, outcome);
  return outcome;
}

function evaluateAll(name: string, filters: readonly FilterNode[]): Outcome {
  const next: FilterNode[] = [];
  for (const filter of filters) {
    const term = filter.terms.get(name);
    if (term) {
      if (term.final) return matching;
      next.push(term);
    }
    for (const wildcard of filter.wildcards) {
      if (!wildcard.matches(name)) continue;
      if (wildcard.node.final) return matching;
      next.push(wildcard.node);
    }
    if (filter.anyDepth) next.push(filter);
  }
  return next.length > 0 ? next : undefined;
}

/**
 * A value under a partly matched path. Objects and arrays are kept when something in them is, and an exclusion also
 * keeps those that were empty already (not emptied by it); a scalar is kept by an exclusion and dropped by an
 * inclusion (Jackson's filtering generator with Elasticsearch's FilterPathBasedFilter, as Elasticsearch writes responses).
 */
function filterValue(value: unknown, filters: readonly FilterNode[], inclusive: boolean): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const kept = filterValue(item, filters, inclusive);
      if (kept !== undefined) items.push(kept);
    }
    return items.length > 0 || (!inclusive && value.length === 0) ? items : undefined;
  }
  if (typeof value !== 'object' || value === null) return inclusive ? undefined : value;
  const result: Record<string, unknown> = {};
  let kept = false;
  let hadContent = false;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined) continue;
    hadContent = true;
    const outcome = evaluate(key, filters);
    const filtered = outcome === matching ? (inclusive ? child : undefined) : outcome === undefined ? (inclusive ? undefined : child) : filterValue(child, outcome, inclusive);
    if (filtered === undefined) continue;
    result[key] = filtered;
    kept = true;
  }
  return kept || (!inclusive && !hadContent) ? result : undefined;
}

/** A response body filter of the `filter_path` parameter (Elasticsearch's common option). */
export interface ResponseFilter {
  /** The body with only what the filters keep; an object body stays an object (`{}` when nothing is kept). */
  apply(body: unknown): unknown;
}

/**
 * Compiles `filter_path`: comma-separated dotted paths (`*` within a name, `**` for any depth, `\.` for a dot in a
 * name); paths starting with `-` exclude. Exclusions apply first, then the inclusions to what is left. Undefined when
 * the parameter names no path.
 */
export function parseFilterPath(parameter: string | null | undefined): ResponseFilter | undefined {
  if (parameter === null || parameter === undefined) return undefined;
  if (compiledFilters.has(parameter)) return compiledFilters.get(parameter);
  if (compiledFilters.size >= maxCompiledFilters) compiledFilters.clear();
  const filter = compileFilterPath(parameter);
  compiledFilters.set(parameter, filter);
  return filter;
}

/** Compiled `filter_path` values, reused across requests (a client sends the same few). */
const compiledFilters = new Map<string, ResponseFilter | undefined>();
const maxCompiledFilters = 64;

function compileFilterPath(parameter: string): ResponseFilter | undefined {
  const filters = [...new Set(parameter.split(',').map((filter) => filter.trim()).filter((filter) => filter !== ''))];
  const includes = compile(filters.filter((filter) => !filter.startsWith('-')));
  const excludes = compile(filters.filter((filter) => filter.startsWith('-')).map((filter) => filter.slice(1).trim()).filter((filter) => filter !== ''));
  if (!includes && !excludes) return undefined;
  return {
    apply(body) {
      const emptyOf = (value: unknown) => (Array.isArray(value) ? [] : typeof value === 'object' && value !== null ? {} : undefined);
      let result = body;
      if (excludes) result = filterValue(result, excludes, false) ?? emptyOf(body);
      if (includes) result = filterValue(result, includes, true) ?? emptyOf(body);
      return result;
    },
  };
}
