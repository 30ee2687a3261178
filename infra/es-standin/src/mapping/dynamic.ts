import type { PropertyJson } from './mappings.js';
import { looksLikeDate } from './dates.js';

/** The property Elasticsearch's dynamic mapping creates for a first-seen scalar value. */
export function dynamicPropertyFor(value: unknown): PropertyJson {
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'long' : 'float' };
  if (typeof value === 'string' && looksLikeDate(value)) return { type: 'date' };
  return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
}
