import { readFileSync } from 'node:fs';
import { deriveScramCredential, type ScramCredential } from './scram.js';

/** Grants every database. */
export const ALL_DATABASES = '*';
const DEFAULT_AUTH_DB = 'admin';

/** A user as configured: `databases` are the databases it may read and write (`'*'` = all). */
export interface UserSpec {
  username: string;
  password: string;
  /** The database the user authenticates against (the driver's `authSource`); default `admin`. */
  authDb?: string;
  databases: string[];
}

/** A configured user as the server keeps it: SCRAM keys instead of the password. */
export interface UserAccount {
  username: string;
  authDb: string;
  databases: ReadonlySet<string>;
  credential: ScramCredential;
}

/** Whether the account may run commands on the database. */
export function accountMayUse(account: UserAccount, db: string): boolean {
  return account.databases.has(ALL_DATABASES) || account.databases.has(db);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry.length > 0);
}

/** Checks one user entry's shape, naming the offending entry in the error. */
function validUserSpec(value: unknown, index: number): UserSpec {
  const entry = value as Partial<UserSpec> | null;
  const problem = (text: string): Error => new Error(`users[${index}]: ${text}`);
  if (typeof entry !== 'object' || entry === null) throw problem('must be an object');
  if (typeof entry.username !== 'string' || entry.username.length === 0) throw problem('username must be a non-empty string');
  if (typeof entry.password !== 'string' || entry.password.length === 0) throw problem('password must be a non-empty string');
  if (entry.authDb !== undefined && (typeof entry.authDb !== 'string' || entry.authDb.length === 0)) throw problem('authDb must be a non-empty string');
  if (!isStringArray(entry.databases)) throw problem("databases must be an array of database names ('*' = all)");
  return { username: entry.username, password: entry.password, authDb: entry.authDb, databases: entry.databases };
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
      this.accounts.set(key, { username: spec.username, authDb, databases: new Set(spec.databases), credential: deriveScramCredential(spec.password) });
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
