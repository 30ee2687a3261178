import { illegalArgument } from '../../errors.js';

/** How many of `optionalCount` optional clauses must match under a `minimum_should_match` value. */
export function requiredMatches(spec: unknown, optionalCount: number, fallback: number): number {
  if (spec === undefined || spec === null) return Math.min(fallback, optionalCount);
  const text = String(spec).trim();
  const percent = /^(-?)(\d+)%$/.exec(text);
  let required: number;
  if (percent) {
    const share = Math.floor((optionalCount * Number(percent[2])) / 100);
    required = percent[1] ? optionalCount - share : share;
  } else if (/^-?\d+$/.test(text)) {
    const count = Number(text);
    required = count < 0 ? optionalCount + count : count;
  } else {
    throw illegalArgument(`failed to parse minimum_should_match [${text}]`);
  }
  return Math.max(0, Math.min(required, optionalCount));
}
