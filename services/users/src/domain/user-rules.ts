import { z } from 'zod';
import { invalidArgument } from '@shop/runtime/errors';
import type { Address, UpdatableField } from './user.js';

/** Most ids one BatchGetUsers call may ask for. */
export const maxBatchIds = 1000;
/** Page size used when a caller asks for 0. */
export const defaultPageSize = 20;
/** Largest page size. */
export const maxPageSize = 100;

const emailSchema = z.email().max(254);
const uuidSchema = z.uuid();
const updatableFields: readonly UpdatableField[] = ['display_name', 'address'];
const maxAddressLine = 200;

/** Trims and lower-cases an email and checks its form; INVALID_ARGUMENT naming email otherwise. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw invalidArgument('email', `must be an email address, got ${JSON.stringify(raw)}`);
  return email;
}

/** Trims a display name and checks it has 1 to 100 characters. */
export function checkDisplayName(raw: string): string {
  const name = raw.trim();
  const length = [...name].length;
  if (length < 1 || length > 100) throw invalidArgument('display_name', `must have 1 to 100 characters, got ${length}`);
  return name;
}

/** Trims the address lines and checks their length. */
export function checkAddress(raw: Address | undefined): Address {
  const lines = { line1: raw?.line1.trim() ?? '', line2: raw?.line2.trim() ?? '', line3: raw?.line3.trim() ?? '' };
  for (const [key, line] of Object.entries(lines)) {
    if ([...line].length > maxAddressLine) throw invalidArgument(`address.${key}`, `must have at most ${maxAddressLine} characters`);
  }
  return lines;
}

/** Checks that a user id is a UUID; INVALID_ARGUMENT naming the field otherwise. */
export function checkUserId(id: string, field = 'id'): string {
  if (!uuidSchema.safeParse(id).success) throw invalidArgument(field, `must be a UUID, got ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

/** Checks the ids of a batch read: at most 1000 UUIDs. */
export function checkUserIds(ids: readonly string[]): string[] {
  if (ids.length > maxBatchIds) throw invalidArgument('ids', `must hold at most ${maxBatchIds} ids, got ${ids.length}`);
  return ids.map((id, index) => checkUserId(id, `ids[${index}]`));
}

/** Checks an update mask: one or more of display_name and address. */
export function checkUpdateMask(paths: readonly string[]): UpdatableField[] {
  if (paths.length === 0) throw invalidArgument('update_mask', `must name at least one of ${updatableFields.join(', ')}`);
  const unknown = paths.find((path) => !updatableFields.includes(path as UpdatableField));
  if (unknown !== undefined) throw invalidArgument('update_mask', `unknown path ${JSON.stringify(unknown)}; allowed: ${updatableFields.join(', ')}`);
  return [...new Set(paths as UpdatableField[])];
}

/** Resolves a requested page size: 0 means the default, otherwise 1 to 100. */
export function checkPageSize(size: number): number {
  if (size === 0) return defaultPageSize;
  if (size < 1 || size > maxPageSize) throw invalidArgument('page_size', `must be from 1 to ${maxPageSize}, got ${size}`);
  return size;
}
