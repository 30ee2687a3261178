import { invalidArgument } from '@shop/runtime/errors';
import { checkUserId } from './user-rules.js';

const prefix = 'after:';

/** The opaque token that continues a listing after the given user id. */
export function encodePageToken(lastId: string): string {
  return Buffer.from(`${prefix}${lastId}`).toString('base64url');
}

/** The user id a page token continues after; undefined for the first page, INVALID_ARGUMENT naming page_token if malformed. */
export function decodePageToken(token: string): string | undefined {
  if (token === '') return undefined;
  const text = Buffer.from(token, 'base64url').toString();
  if (!text.startsWith(prefix)) throw invalidArgument('page_token', 'is not a token from a previous response');
  try {
    return checkUserId(text.slice(prefix.length), 'page_token');
  } catch {
    throw invalidArgument('page_token', 'is not a token from a previous response');
  }
}
