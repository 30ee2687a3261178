/** A postal address of three free-text lines. */
export interface Address {
  readonly line1: string;
  readonly line2: string;
  readonly line3: string;
}

/** A user as the users service owns it. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly address: Address;
  readonly version: bigint;
  readonly createTime: Date;
  readonly updateTime: Date;
}

/** What a caller gives to create a user, already validated and normalized. */
export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly address: Address;
}

/** Fields of a user that UpdateUser may change, by their proto names. */
export type UpdatableField = 'display_name' | 'address';

/** New values of the fields named by an update. */
export interface UserPatch {
  readonly fields: readonly UpdatableField[];
  readonly displayName: string;
  readonly address: Address;
}

/** The empty address. */
export const noAddress: Address = { line1: '', line2: '', line3: '' };
