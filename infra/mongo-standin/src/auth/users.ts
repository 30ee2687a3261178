import { readFileSync } from 'node:fs';
import { actionsOn, isKnownRole, type RoleGrant } from './roles.js';
import { deriveScramCredential, type ScramCredential } from './scram.js';

/** In `databases`, grants readWrite on every database (readWriteAnyDatabase). */
export const ALL_DATABASES = '*';
const DEFAULT_AUTH_DB = 'admin';

/**
 * A user as configured: `roles` as MongoDB's createUser takes them (`{ role, db }`, or a role name meaning the authDb),
 * and/or `databases`, a shorthand for readWrite on each (`'*'` = readWriteAnyDatabase).
 */
export interface UserSpec {
  username: string;
  password: string;
  /** The database the user authenticates against (the driver's `authSource`); default `admin`. */
  authDb?: string;
  databases?: string[];
  roles?: (RoleGrant | string)[];
}

/** A configured user as the server keeps it: SCRAM keys instead of the password. */
export interface UserAccount {
  username: string;
  authDb: string;
  roles: readonly RoleGrant[];
  credential: ScramCredential;
}

/** Whether the account holds any privilege on the database. */
export function accountMayUse(account: UserAccount, db: string): boolean {
  return actionsOn(account.roles, db).size > 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry.length > 0);
}

function roleGrant(value: unknown, authDb: string): RoleGrant | undefined {
  if (typeof value === 'string') return { role: value, db: authDb };
  const grant = value as Partial<RoleGrant> | null;
  if (typeof grant !== 'object' || grant === null || typeof grant.role !== 'string' || typeof grant.db !== 'string') return undefined;
  return { role: grant.role, db: grant.db };
}

function grantsOf(entry: Partial<UserSpec>, authDb: string, problem: (text: string) => Error): RoleGrant[] {
  if (entry.databases !== undefined && !isStringArray(entry.databases)) throw problem("databases must be an array of database names ('*' = all)");
  if (entry.roles !== undefined && !Array.isArray(entry.roles)) throw problem('roles must be an array of { role, db }');
  const fromDatabases = (entry.databases ?? []).map((db) => (db === ALL_DATABASES ? { role: 'readWriteAnyDatabase', db: 'admin' } : { role: 'readWrite', db }));
  const fromRoles = (entry.roles ?? []).map((value, at) => {
    const grant = roleGrant(value, authDb);
    if (!grant) throw problem(`roles[${at}] must be a role name or { role, db }`);
    if (!isKnownRole(grant)) throw problem(`roles[${at}]: no such role ${grant.role}@${grant.db}`);
    return grant;
  });
  const grants = [...fromDatabases, ...fromRoles];
  if (grants.length === 0) throw problem('needs roles (e.g. [{ "role": "readWrite", "db": "shop" }]) or databases');
  return grants;
}

/** Checks one user entry's shape, naming the offending entry in the error. */
function validUserSpec(value: unknown, index: number): UserSpec {
  const entry = value as Partial<UserSpec> | null;
  const problem = (text: string): Error => new Error(`users[${index}]: ${text}`);
  if (typeof entry !== 'object' || entry === null) throw problem('must be an object');
  if (typeof entry.username !== 'string' || entry.username.length === 0) throw problem('username must be a non-empty string');
  if (typeof entry.password !== 'string' || entry.password.length === 0) throw problem('password must be a non-empty string');
  if (entry.authDb !== undefined && (typeof entry.authDb !== 'string' || entry.authDb.length === 0)) throw problem('authDb must be a non-empty string');
  grantsOf(entry, entry.authDb ?? DEFAULT_AUTH_DB, problem);
  return { username: entry.username, password: entry.password, authDb: entry.authDb, databases: entry.databases, roles: entry.roles };
}

/** The configured users, looked up by authentication database and name. */
export class UserDirectory {
  private readonly accounts = new Map<string, UserAccount>();

  /** Validates the entries and derives each user's SCRAM-SHA-256 keys; the passwords are not kept. */
  constructor(specs: readonly unknown[]) {
    specs.map(validUserSpec).forEach((spec, index) => {
      const authDb = spec.authDb ?? DEFAULT_AUTH_DB;
      const key = userKey(authDb, spec.username);
      if (this.accounts.has(key)) throw new Error(`users[${index}]: ${key} is configured twice`);
      const roles = grantsOf(spec, authDb, (text) => new Error(`users[${index}]: ${text}`));
      this.accounts.set(key, { username: spec.username, authDb, roles, credential: deriveScramCredential(spec.password) });
    });
  }

  /** The account `username` authenticating against `authDb`, if configured. */
  find(authDb: string, username: string): UserAccount | undefined {
    return this.accounts.get(userKey(authDb, username));
  }
}

/** The `<authDb>.<username>` form MongoDB uses for users (as in hello's `saslSupportedMechs`). */
export function userKey(authDb: string, username: string): string {
  return `${authDb}.${username}`;
}

/** Reads and checks a JSON array of users (the shape of UserSpec) from a file. */
export function readUsersFile(path: string): UserSpec[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${path} must hold a JSON array of users`);
  return parsed.map(validUserSpec);
}
