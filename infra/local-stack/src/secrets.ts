import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_NAMES = [
  'ordersPrimaryAdmin',
  'usersAdmin',
  'ordersService',
  'usersService',
  'ordersReplication',
  'redisAdmin',
  'redisCart',
  'natsAdmin',
] as const;

/** Every password the local stores use, persisted once per data folder. */
export type StoreSecrets = Record<(typeof SECRET_NAMES)[number], string>;

/** A random password safe to embed in URLs and config files unquoted. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Path of the file holding the data folder's passwords. */
export function secretsFile(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

/** Loads the data folder's passwords, generating and persisting (mode 0600) any that are missing. */
export function loadSecrets(dataDir: string): StoreSecrets {
  const file = secretsFile(dataDir);
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<StoreSecrets>) : {};
  const secrets = Object.fromEntries(SECRET_NAMES.map((name) => [name, stored[name] ?? generatePassword()])) as StoreSecrets;
  if (SECRET_NAMES.some((name) => stored[name] === undefined)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
