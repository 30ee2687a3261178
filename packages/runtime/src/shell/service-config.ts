import { z } from 'zod';
import { systemMap, variablePrefix, type ServiceName } from '@shop/system-map';
import { logLevelVar, parseEnv, urlVar } from '../config.js';

/** The log levels a service accepts. */
export type LogLevel = z.infer<typeof logLevelVar>;

/** What every service is configured with: where it listens and how much it logs. */
export interface ServiceBasics {
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
}

/** How a service reaches the event bus. */
export interface BusSettings {
  /** NATS URL with JetStream. */
  readonly natsUrl: string;
  /** Prefix of subjects and stream names; separates deployments or test runs sharing one NATS. Often empty. */
  readonly eventsNamespace: string;
}

/** The EVENTS_NAMESPACE variable: letters, digits, _ or -, empty by default. */
export const eventsNamespaceVar = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be letters, digits, _ or -').default('');

const portSchema = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be an integer port')
  .min(0, 'must be a port from 0 to 65535')
  .max(65535, 'must be a port from 0 to 65535');

/** `<NAME>_HOST` (default 127.0.0.1), `<NAME>_PORT` (default from the system map) and `LOG_LEVEL`. */
export function serviceBasics(name: ServiceName, env: Record<string, string | undefined>): ServiceBasics {
  const prefix = variablePrefix(name);
  const schema = z.object({
    [`${prefix}_HOST`]: z.string().min(1).default('127.0.0.1'),
    [`${prefix}_PORT`]: portSchema.default(systemMap[name].port),
    LOG_LEVEL: logLevelVar,
  });
  const parsed = parseEnv(schema, env) as Record<string, unknown>;
  return { host: parsed[`${prefix}_HOST`] as string, port: parsed[`${prefix}_PORT`] as number, logLevel: parsed.LOG_LEVEL as LogLevel };
}

/** `NATS_URL` (required) and `EVENTS_NAMESPACE`. */
export function busSettings(env: Record<string, string | undefined>): BusSettings {
  const parsed = parseEnv(z.object({ NATS_URL: urlVar('nats', 'tls', 'ws', 'wss'), EVENTS_NAMESPACE: eventsNamespaceVar }), env);
  return { natsUrl: parsed.NATS_URL, eventsNamespace: parsed.EVENTS_NAMESPACE };
}

/** How a consumer in batch mode groups delivered events: at most maxEvents, waiting lingerMs after the first for more. */
export interface EventBatchSettings {
  readonly maxEvents: number;
  readonly lingerMs: number;
}

/** `<NAME>_BATCH_MAX_EVENTS` (1-4096) and `<NAME>_BATCH_LINGER_MS` (0-1000), with the service's own defaults. */
export function eventBatchSettings(name: ServiceName, env: Record<string, string | undefined>, defaults: EventBatchSettings): EventBatchSettings {
  const prefix = variablePrefix(name);
  const schema = z.object({
    [`${prefix}_BATCH_MAX_EVENTS`]: z.coerce.number().int().min(1).max(4096).default(defaults.maxEvents),
    [`${prefix}_BATCH_LINGER_MS`]: z.coerce.number().int().min(0).max(1000).default(defaults.lingerMs),
  });
  const parsed = parseEnv(schema, env) as Record<string, number>;
  return { maxEvents: parsed[`${prefix}_BATCH_MAX_EVENTS`]!, lingerMs: parsed[`${prefix}_BATCH_LINGER_MS`]! };
}
