import { z } from 'zod';

/** A configuration problem: one line that names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses environment variables with a zod object schema; throws ConfigError naming the first bad variable. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.join('.') ?? 'unknown';
  const value = env[variable];
  const reason = value === undefined || value === '' ? 'is required but not set' : `is invalid (${issue?.message ?? 'bad value'})`;
  throw new ConfigError(`config error: ${variable} ${reason}`);
}

/** A TCP port variable, 0 to 65535, with a default. */
export function portVar(defaultPort: number) {
  return z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer port')
    .min(0, 'must be a port from 0 to 65535')
    .max(65535, 'must be a port from 0 to 65535')
    .default(defaultPort);
}

/** A required URL variable whose scheme is one of the given ones. */
export function urlVar(...schemes: string[]) {
  return z
    .string()
    .min(1)
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    }, `must be a ${schemes.join(' or ')} URL`);
}

/** A host:port address of a peer service. */
export function addressVar(defaultAddress: string) {
  return z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port')
    .default(defaultAddress);
}

/** A positive integer variable such as a timeout in milliseconds. */
export function positiveIntVar(defaultValue: number) {
  return z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be positive').default(defaultValue);
}

/** A true/false switch such as ORDERS_DATABASE_NAMED_STATEMENTS. */
export function booleanVar(defaultValue: boolean) {
  return z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true');
}

/** The log level variable. */
export const logLevelVar = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info');
