import { EsError } from '../errors.js';

const forbiddenCharacters = /[\\/*?"<>| ,#:]/;

/** Refuses names Elasticsearch refuses for indices (upper case, leading `_`, `-`, `+`, special characters). */
export function validateIndexName(name: string): void {
  const refuse = (why: string) =>
    new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, { index_uuid: '_na_', index: name });
  if (name !== name.toLowerCase()) throw refuse('must be lowercase');
  if (/^[_\-+]/.test(name)) throw refuse("must not start with '_', '-', or '+'");
  if (forbiddenCharacters.test(name)) throw refuse('must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]');
  if (name === '.' || name === '..' || name === '') throw refuse("must not be '.' or '..'");
}

/** True when an index or alias expression contains a wildcard. */
export function isPattern(expression: string): boolean {
  return expression.includes('*');
}

const compiledPatterns = new Map<string, (name: string) => boolean>();
const maxCompiledPatterns = 1_000;

/** Compiles a `*` wildcard pattern into a matcher (a name without `*` only matches itself); compiled patterns are reused. */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const known = compiledPatterns.get(pattern);
  if (known) return known;
  if (compiledPatterns.size >= maxCompiledPatterns) compiledPatterns.clear();
  const matcher = compileWildcard(pattern);
  compiledPatterns.set(pattern, matcher);
  return matcher;
}

function compileWildcard(pattern: string): (name: string) => boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  const regex = new RegExp(`^${escaped.join('.*')}$`);
  return (name) => regex.test(name);
}

/** Splits a comma-separated index expression; `_all` and empty mean every index. */
export function splitExpression(expression: string | undefined): string[] {
  if (!expression || expression === '_all') return ['*'];
  return expression.split(',').map((part) => part.trim()).filter((part) => part !== '');
}
