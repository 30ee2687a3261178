import { contentParseError, illegalArgument } from '../errors.js';
import { openAccess, type IndexAccess } from '../security/index-access.js';
import { defaultResolveOptions, type Cluster, type ResolveOptions } from '../store/cluster.js';

/** Finds the first non-whitespace character (a blank body is no body), without copying the body as trim() would. */
const nonBlank = /\S/;
const wildcardStates = new Set(['open', 'closed', 'hidden', 'all', 'none']);

/** A reply to send: status, JSON body (none for HEAD-style replies), extra response headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Everything a handler needs about one request. */
export class RequestContext {
  constructor(
    readonly cluster: Cluster,
    readonly method: string,
    readonly params: Record<string, string>,
    readonly query: URLSearchParams,
    readonly rawBody: string,
    /** The indices the request's user may act on (everything when security is off). */
    readonly access: IndexAccess = openAccess,
  ) {}

  /** A path parameter such as `{index}`. */
  param(name: string): string {
    const value = this.params[name];
    if (value === undefined) throw illegalArgument(`missing path parameter [${name}]`);
    return value;
  }

  /** The request body parsed as JSON; undefined when empty. */
  json<T = Record<string, unknown>>(): T | undefined {
    if (!nonBlank.test(this.rawBody)) return undefined;
    try {
      return JSON.parse(this.rawBody) as T;
    } catch (error) {
      throw contentParseError(`Failed to parse request body: ${(error as Error).message}`);
    }
  }

  /** The request body as a JSON object; `{}` when empty. */
  jsonObject(): Record<string, unknown> {
    const body = this.json<unknown>() ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw contentParseError('request body must be a JSON object');
    return body as Record<string, unknown>;
  }

  /** A query-string parameter. */
  string(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  /** A numeric query-string parameter; refuses non-numbers. */
  number(name: string): number | undefined {
    const raw = this.query.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${raw}]`);
    return value;
  }

  /** `ignore_unavailable`, `allow_no_indices` and `expand_wildcards` from the query string, over Elasticsearch's defaults. */
  resolveOptions(defaults: ResolveOptions = defaultResolveOptions): ResolveOptions {
    const states = (this.string('expand_wildcards') ?? defaults.expandWildcards).split(',').map((state) => state.trim());
    const unknown = states.find((state) => !wildcardStates.has(state));
    if (unknown) throw illegalArgument(`No enum constant org.elasticsearch.action.support.IndicesOptions.WildcardStates.${unknown.toUpperCase()}`);
    const expandWildcards = states.includes('all') || states.includes('hidden') ? 'hidden' : states.includes('open') ? 'open' : 'none';
    return {
      ignoreUnavailable: this.flag('ignore_unavailable') ?? defaults.ignoreUnavailable,
      allowNoIndices: this.flag('allow_no_indices') ?? defaults.allowNoIndices,
      expandWildcards,
    };
  }

  /** A boolean query-string parameter (`?flag` and `?flag=true` are true). */
  flag(name: string): boolean | undefined {
    const raw = this.query.get(name);
    if (raw === null) return undefined;
    if (raw === '' || raw === 'true') return true;
    if (raw === 'false') return false;
    throw illegalArgument(`Failed to parse value [${raw}] as only [true] or [false] are allowed.`);
  }
}
