import { z } from 'zod';
import { busSettings, parseEnv, serviceBasics, urlVar, type BusSettings, type ServiceBasics } from '@shop/runtime';

const usersEnv = z.object({ USERS_DATABASE_URL: urlVar('postgres', 'postgresql') });

/** Settings of the users service. */
export interface UsersConfig extends ServiceBasics, BusSettings {
  /** USERS_DATABASE_URL: the users database, with the service's own role. */
  readonly databaseUrl: string;
}

/** Reads the users service's settings from the environment; fails naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): UsersConfig {
  return { ...serviceBasics('users', env), ...busSettings(env), databaseUrl: parseEnv(usersEnv, env).USERS_DATABASE_URL };
}
