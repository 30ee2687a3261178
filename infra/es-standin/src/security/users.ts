import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { authenticationFailed, authenticationMissing } from '../errors.js';
import { CredentialCache } from './credential-cache.js';
import { PatternAccess } from './index-access.js';

/** A user the stand-in accepts: basic-auth credentials and the index name patterns it may act on. */
export interface UserConfig {
  username: string;
  password: string;
  /** Index and alias name patterns with `*`, e.g. `products*`; `*` grants every index. */
  indices: string[];
}

interface StoredUser {
  salt: Buffer;
  passwordHash: Buffer;
  access: PatternAccess;
}

const derive = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: { N: number }) => Promise<Buffer>;
const hashLength = 32;
const hash = (password: string, salt: Buffer) => derive(password, salt, hashLength, { N: 4096 });

/** Refuses anything but an array of `{ username, password, indices }` (as read from a users file). */
export function parseUserConfigs(value: unknown): UserConfig[] {
  const isString = (field: unknown): field is string => typeof field === 'string' && field !== '';
  if (!Array.isArray(value)) throw new Error('users must be a JSON array of { username, password, indices }');
  return value.map((entry: unknown, position) => {
    const user = entry as Partial<UserConfig> | null;
    if (!user || !isString(user.username) || !isString(user.password) || !Array.isArray(user.indices) || !user.indices.every(isString)) {
      throw new Error(`users[${position}] must have a non-empty username and password and an indices array of patterns`);
    }
    return { username: user.username, password: user.password, indices: user.indices };
  });
}

function basicCredentials(authorization: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The configured users with salted scrypt password hashes (plain passwords are not kept). */
export class UserDirectory {
  private constructor(
    private readonly users: Map<string, StoredUser>,
    private readonly decoy: { salt: Buffer; passwordHash: Buffer },
    private readonly recent = new CredentialCache(),
  ) {}

  /** Hashes every user's password with its own random salt. */
  static async create(configs: UserConfig[]): Promise<UserDirectory> {
    const users = new Map<string, StoredUser>();
    for (const config of parseUserConfigs(configs)) {
      if (users.has(config.username)) throw new Error(`user [${config.username}] is configured twice`);
      const salt = randomBytes(16);
      users.set(config.username, { salt, passwordHash: await hash(config.password, salt), access: new PatternAccess(config.username, config.indices) });
    }
    const decoySalt = randomBytes(16);
    return new UserDirectory(users, { salt: decoySalt, passwordHash: await hash(randomBytes(16).toString('hex'), decoySalt) });
  }

  /** The access of the user an `Authorization: Basic` header names; 401 `security_exception` when missing or wrong. */
  async authenticate(authorization: string | undefined, uri: string): Promise<PatternAccess> {
    const credentials = basicCredentials(authorization);
    if (!credentials) throw authenticationMissing(uri);
    const user = this.users.get(credentials.username);
    if (user && this.recent.matches(credentials.username, credentials.password)) return user.access;
    const expected = user ?? this.decoy;
    const offered = await hash(credentials.password, expected.salt);
    if (!timingSafeEqual(offered, expected.passwordHash) || !user) throw authenticationFailed(credentials.username, uri);
    this.recent.remember(credentials.username, credentials.password);
    return user.access;
  }
}
