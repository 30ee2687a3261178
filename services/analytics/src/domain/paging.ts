import { invalidArgument } from '@shop/runtime/errors';

/** A validated page request: how many rows, from which offset. */
export interface PageRequest {
  readonly size: number;
  readonly offset: number;
}

/** Bounds of one list's page size. */
export interface PageBounds {
  readonly field: string;
  readonly max: number;
  readonly fallback: number;
}

/** Validates page_size (0 means the default) against its bounds. */
export function checkedPageSize(size: number, bounds: PageBounds): number {
  if (!Number.isInteger(size) || size < 0 || size > bounds.max) throw invalidArgument(bounds.field, `must be between 1 and ${bounds.max}, or 0 for ${bounds.fallback}`);
  return size === 0 ? bounds.fallback : size;
}

/** Validates page_size and decodes page_token (an opaque offset). */
export function checkedPage(size: number, token: string, bounds: PageBounds): PageRequest {
  const checkedSize = checkedPageSize(size, bounds);
  if (token === '') return { size: checkedSize, offset: 0 };
  const match = /^o(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidArgument('page_token', 'is not a token this service issued');
  return { size: checkedSize, offset: Number(match[1]) };
}

/** The token of the page after this one, empty when this one was the last. */
export function nextPageToken(page: PageRequest, fetched: number): string {
  return fetched > page.size ? Buffer.from(`o${page.offset + page.size}`, 'utf8').toString('base64url') : '';
}
