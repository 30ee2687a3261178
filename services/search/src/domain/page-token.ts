import { hash } from 'node:crypto';
import { invalidArgument } from '@shop/runtime/errors';
import type { SearchCriteria, SearchPosition } from './search.js';

type Filters = Omit<SearchCriteria, 'after' | 'pageSize'>;

function fingerprint(filters: Filters): string {
  const related = filters.relatedToProductId === undefined ? [] : [filters.relatedToProductId];
  const canonical = JSON.stringify([filters.query, [...filters.categoryIds].sort(), String(filters.minPriceMinor), String(filters.maxPriceMinor), filters.inStockOnly, ...related]);
  return hash('sha256', canonical, 'base64url').slice(0, 12);
}

/** An opaque token for the page after this position, bound to the search's filters. */
export function encodePageToken(filters: Filters, position: SearchPosition): string {
  return Buffer.from(JSON.stringify({ f: fingerprint(filters), s: position.score, i: position.productId })).toString('base64url');
}

function parse(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The position a page token stands for; INVALID_ARGUMENT naming page_token when it is malformed or from another search. */
export function decodePageToken(filters: Filters, token: string): SearchPosition {
  const body = parse(token) as { f?: unknown; s?: unknown; i?: unknown } | undefined;
  if (typeof body?.f !== 'string' || typeof body.s !== 'number' || typeof body.i !== 'string') throw invalidArgument('page_token', 'is not a token this service issued');
  if (body.f !== fingerprint(filters)) throw invalidArgument('page_token', 'belongs to a search with other filters');
  return { score: body.s, productId: body.i };
}
