import type { User } from '../domain/user.js';

/** A row of the users table as pg returns it. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  address_line1: string;
  address_line2: string;
  address_line3: string;
  version: string;
  created_at: Date;
  updated_at: Date;
}

/** Columns selected for a user. */
export const userColumns = 'id, email, display_name, address_line1, address_line2, address_line3, version, created_at, updated_at';

/** Maps a users row to the domain user. */
export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    address: { line1: row.address_line1, line2: row.address_line2, line3: row.address_line3 },
    version: BigInt(row.version),
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

/** The column values of a user, in the order of userColumns. */
export function rowValues(user: User): unknown[] {
  const { address } = user;
  return [user.id, user.email, user.displayName, address.line1, address.line2, address.line3, user.version.toString(), user.createTime, user.updateTime];
}
