import type { Reply, RequestContext } from './request-context.js';

/** Handles one matched request. */
export type Handler = (context: RequestContext) => Reply | Promise<Reply>;

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: Handler;
  literalCount: number;
  parameters: readonly string[];
}

/** A route found for a request, with its path parameters. */
export interface RouteMatch {
  handler: Handler;
  /** The pattern the route was registered with, e.g. `/{index}/_doc/{id}`. */
  pattern: string;
  params: Record<string, string>;
  /** The query-string parameters the route accepts. */
  parameters: readonly string[];
}

function isParameter(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Maps method and path patterns like `/{index}/_doc/{id}` to handlers; literal segments win over parameters. */
export class Router {
  /** Routes by segment count, most literal segments first (registration order among equals). */
  private readonly bySegmentCount = new Map<number, Route[]>();

  /** Registers a handler for one or more methods, with the query-string parameters it accepts. */
  on(methods: string | string[], pattern: string, handler: Handler, parameters: readonly string[] = []): this {
    const segments = splitPath(pattern);
    const literalCount = segments.filter((segment) => !isParameter(segment)).length;
    const routes = this.bySegmentCount.get(segments.length) ?? [];
    for (const method of [methods].flat()) routes.push({ method, pattern, segments, handler, parameters, literalCount });
    routes.sort((a, b) => b.literalCount - a.literalCount);
    this.bySegmentCount.set(segments.length, routes);
    return this;
  }

  /** The best route for a request, or undefined; `allowed` lists the methods the path accepts. */
  match(method: string, path: string): { route?: RouteMatch; allowed: string[] } {
    const segments = splitPath(path).map((segment) => decodeURIComponent(segment));
    let best: { route: Route; params: Record<string, string> } | undefined;
    const allowed = new Set<string>();
    for (const route of this.bySegmentCount.get(segments.length) ?? []) {
      const params = bind(route.segments, segments);
      if (!params) continue;
      allowed.add(route.method);
      if (!best && route.method === method) best = { route, params };
    }
    return { route: best && { handler: best.route.handler, pattern: best.route.pattern, params: best.params, parameters: best.route.parameters }, allowed: [...allowed] };
  }
}

function bind(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [position, expected] of pattern.entries()) {
    const actual = segments[position]!;
    if (isParameter(expected)) {
      if (expected === '{index}' && actual.startsWith('_') && actual !== '_all') return undefined;
      params[expected.slice(1, -1)] = actual;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
