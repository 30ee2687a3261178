import { actionUnauthorized } from '../errors.js';
import { isPattern, splitExpression, wildcardMatcher } from '../store/index-names.js';
import type { IndexAction } from './index-actions.js';

/** Which index and alias names the user of a request may act on. */
export interface IndexAccess {
  /** Throws a 403 `security_exception` unless every index, alias or pattern in the expressions is granted. */
  authorize(action: IndexAction, ...expressions: string[]): void;
  /** True when the name or pattern is granted. */
  permits(nameOrPattern: string): boolean;
}

/** Access without security: everything is permitted. */
export const openAccess: IndexAccess = {
  authorize: () => undefined,
  permits: () => true,
};

function literalPrefix(pattern: string): string {
  return pattern.slice(0, pattern.indexOf('*'));
}

/** True when every name the wildcard can match also matches the granted pattern (a `prefix*` or the same pattern). */
function covers(granted: string, wildcard: string): boolean {
  if (granted === wildcard) return true;
  const onlyTrailingStar = granted.indexOf('*') === granted.length - 1;
  return onlyTrailingStar && literalPrefix(wildcard).startsWith(literalPrefix(granted));
}

/** Access of an authenticated user limited to index name patterns (`products*`, `*`). */
export class PatternAccess implements IndexAccess {
  private readonly matchers: ((name: string) => boolean)[];

  constructor(
    readonly username: string,
    private readonly patterns: string[],
  ) {
    this.matchers = patterns.map(wildcardMatcher);
  }

  /**
   * A concrete name is granted when a pattern matches it; a wildcard only when a pattern covers everything it can
   * match (`products_*` under `products*`, anything under `*`), since wildcards are not narrowed to granted names.
   */
  permits(nameOrPattern: string): boolean {
    if (!isPattern(nameOrPattern)) return this.matchers.some((matches) => matches(nameOrPattern));
    return this.patterns.some((pattern) => covers(pattern, nameOrPattern));
  }

  authorize(action: IndexAction, ...expressions: string[]): void {
    const denied = expressions.flatMap((expression) => splitExpression(expression)).filter((name) => !this.permits(name));
    if (denied.length > 0) throw actionUnauthorized(action.name, this.username, [...new Set(denied)], action.privileges);
  }
}
