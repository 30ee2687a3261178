import { z } from 'zod';
import { logLevelVar, parseEnv, portVar, urlVar } from '@shop/runtime';

const usersEnv = z.object({
  USERS_HOST: z.string().min(1).default('127.0.0.1'),
  USERS_PORT: portVar(50053),
  USERS_DATABASE_URL: urlVar('postgres', 'postgresql'),
  NATS_URL: urlVar('nats', 'tls', 'ws', 'wss'),
  EVENTS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -').default(''),
  LOG_LEVEL: logLevelVar,
});

/** Settings of the users service. */
export interface UsersConfig {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly eventsNamespace: string;
  readonly logLevel: string;
}

/** Reads the users service's settings from the environment; fails naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): UsersConfig {
  const parsed = parseEnv(usersEnv, env);
  return {
    host: parsed.USERS_HOST,
    port: parsed.USERS_PORT,
    databaseUrl: parsed.USERS_DATABASE_URL,
    natsUrl: parsed.NATS_URL,
    eventsNamespace: parsed.EVENTS_NAMESPACE,
    logLevel: parsed.LOG_LEVEL,
  };
}
