import { z } from 'zod';
import { booleanVar, busSettings, parseEnv, serviceBasics, urlVar, type BusSettings, type ServiceBasics } from '@shop/runtime';

const usersEnv = z.object({ USERS_DATABASE_URL: urlVar('postgres', 'postgresql'), USERS_DATABASE_NAMED_STATEMENTS: booleanVar(true) });

/** Settings of the users service. */
export interface UsersConfig extends ServiceBasics, BusSettings {
  /** USERS_DATABASE_URL: the users database, with the service's own role. */
  readonly databaseUrl: string;
  /** USERS_DATABASE_NAMED_STATEMENTS (true): reads are prepared once per connection; false behind a transaction pooler that does not keep prepared statements (PgBouncer before 1.21). */
  readonly namedStatements: boolean;
}

/** Reads the users service's settings from the environment; fails naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): UsersConfig {
  const own = parseEnv(usersEnv, env);
  return { ...serviceBasics('users', env), ...busSettings(env), databaseUrl: own.USERS_DATABASE_URL, namedStatements: own.USERS_DATABASE_NAMED_STATEMENTS };
}
