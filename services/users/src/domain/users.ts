import { randomUUID } from 'node:crypto';
import { notFound } from '@shop/runtime/errors';
import type { Address, UpdatableField, User, UserPatch } from './user.js';
import type { UserRepository } from './user-repository.js';
import { checkAddress, checkDisplayName, checkPageSize, checkUserId, checkUserIds, normalizeEmail } from './user-rules.js';
import { decodePageToken, encodePageToken } from './page-token.js';

/** Input of createUser as the caller sent it. */
export interface CreateUserInput {
  readonly email: string;
  readonly displayName: string;
  readonly address: Address | undefined;
}

/** Result of a batch read. */
export interface UserBatch {
  readonly users: User[];
  readonly missingIds: string[];
}

/** One page of a listing. */
export interface UserPage {
  readonly users: User[];
  readonly nextPageToken: string;
}

/** The users service's use cases: validation, then one repository call; onWrite runs after each committed change. */
export class Users {
  constructor(
    private readonly repository: UserRepository,
    private readonly onWrite: () => void = () => {},
  ) {}

  /** Creates a user with a normalized, unique email. */
  async create(input: CreateUserInput): Promise<User> {
    const user = { email: normalizeEmail(input.email), displayName: checkDisplayName(input.displayName), address: checkAddress(input.address) };
    const created = await this.repository.create(randomUUID(), user, new Date());
    this.onWrite();
    return created;
  }

  /** The user with this id; NOT_FOUND if none. */
  async get(rawId: string): Promise<User> {
    const id = checkUserId(rawId);
    const user = await this.repository.get(id);
    if (!user) throw notFound('user', id);
    return user;
  }

  /** The users with these ids in request order, and the ids with no user. */
  async batchGet(rawIds: readonly string[]): Promise<UserBatch> {
    const ids = checkUserIds(rawIds);
    const found = new Map((await this.repository.getMany([...new Set(ids)])).map((user) => [user.id, user]));
    const users = ids.flatMap((id) => found.get(id) ?? []);
    return { users, missingIds: ids.filter((id) => !found.has(id)) };
  }

  /** Changes the named fields; raises the version and records UserUpdated only when something changed. */
  async update(rawId: string, patch: UserPatch): Promise<User> {
    const id = checkUserId(rawId, 'user.id');
    const values = { displayName: patch.fields.includes('display_name') ? checkDisplayName(patch.displayName) : '', address: checkAddress(patch.address) };
    const updated = await this.repository.update(id, (current) => applyPatch(current, { ...values, fields: patch.fields }, new Date()));
    if (!updated) throw notFound('user', id);
    this.onWrite();
    return updated;
  }

  /** One page of users ordered by id. */
  async list(pageSize: number, pageToken: string): Promise<UserPage> {
    const limit = checkPageSize(pageSize);
    const users = await this.repository.list(decodePageToken(pageToken), limit + 1);
    const page = users.slice(0, limit);
    const last = page.at(-1);
    return { users: page, nextPageToken: users.length > limit && last ? encodePageToken(last.id) : '' };
  }
}

function applyPatch(current: User, patch: UserPatch, now: Date): { user: User; changedFields: UpdatableField[] } | undefined {
  const changedFields = patch.fields.filter((field) =>
    field === 'display_name' ? patch.displayName !== current.displayName : !sameAddress(patch.address, current.address),
  );
  if (changedFields.length === 0) return undefined;
  const user: User = {
    ...current,
    ...(changedFields.includes('display_name') ? { displayName: patch.displayName } : {}),
    ...(changedFields.includes('address') ? { address: patch.address } : {}),
    version: current.version + 1n,
    updateTime: now,
  };
  return { user, changedFields };
}

function sameAddress(a: Address, b: Address): boolean {
  return a.line1 === b.line1 && a.line2 === b.line2 && a.line3 === b.line3;
}
