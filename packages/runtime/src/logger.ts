import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logger named after the service; LOG_LEVEL is passed in by the service's config. Lines go to stdout
 * through an asynchronous destination (written by libuv, not on the event loop), flushed synchronously on exit.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: false }));
}
