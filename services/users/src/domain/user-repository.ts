import type { NewUser, UpdatableField, User } from './user.js';

/** An event ready for the outbox: the repository stores it in the same transaction as the change. */
export interface PendingEvent {
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly payload: Uint8Array;
}

/** Builds the events describing changes of users. */
export interface UserEvents {
  created(user: User): PendingEvent;
  updated(user: User, changedFields: readonly UpdatableField[]): PendingEvent;
}

/** Applies a change to the current user; returns the new user and the fields that changed, or undefined for no change. */
export type UserChange = (current: User) => { user: User; changedFields: readonly UpdatableField[] } | undefined;

/** Storage of users; every write also records its event in the outbox atomically. */
export interface UserRepository {
  /** Stores a new user; throws ALREADY_EXISTS naming email when the email is taken. */
  create(id: string, user: NewUser, now: Date): Promise<User>;
  /** The user with this id, if any. */
  get(id: string): Promise<User | undefined>;
  /** The users with these ids, in any order, in one query. */
  getMany(ids: readonly string[]): Promise<User[]>;
  /** Applies a change under a row lock; returns the user after it, or undefined when there is no such user. */
  update(id: string, change: UserChange): Promise<User | undefined>;
  /** Up to limit users with ids greater than after, ordered by id. */
  list(after: string | undefined, limit: number): Promise<User[]>;
}
