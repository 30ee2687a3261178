import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logger named after the service; LOG_LEVEL is passed in by the service's config. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
