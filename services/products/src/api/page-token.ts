import { invalidArgument } from '@shop/runtime';

interface PagePosition {
  readonly after: string;
  readonly categoryId: string;
}

/** The opaque token of the page that follows the given product id within a category filter. */
export function encodePageToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The product id a page token continues after; INVALID_ARGUMENT for a malformed token or one of another filter. */
export function decodePageToken(token: string, categoryId: string): string | undefined {
  if (!token) return undefined;
  const position = parse(token);
  if (position.categoryId !== categoryId) throw invalidArgument('page_token', 'was issued for another category_id');
  return position.after;
}

function parse(token: string): PagePosition {
  const value = jsonOf(Buffer.from(token, 'base64url').toString('utf8'));
  if (isPosition(value)) return value;
  throw invalidArgument('page_token', 'is not a token returned by ListProducts');
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPosition(value: unknown): value is PagePosition {
  const candidate = value as Partial<PagePosition> | null;
  return typeof candidate?.after === 'string' && candidate.after.length > 0 && typeof candidate.categoryId === 'string';
}
