import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Bytes of log lines gathered before one write to stdout. */
export const logBatchBytes = 8 * 1024;
/** The longest a line waits for its batch before it is written anyway. */
export const logBatchDelayMs = 50;

/** trace_id and span_id of the span active when a line is written, so logs join traces; nothing outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && span.traceId !== '00000000000000000000000000000000' ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * Stdout as pino's asynchronous destination (written by libuv, not on the event loop), in batches: lines gather up to
 * logBatchBytes or logBatchDelayMs, whichever comes first, so a busy service makes one write per batch rather than one
 * per line. Lines still waiting are flushed synchronously on exit.
 *
 * sonic-boom's flush does nothing while a write is running, and once that write ends it keeps what is left (under
 * minLength) for the next one. So when a write ends with bytes still buffered (lines that came during it), their
 * flush is scheduled again; otherwise a quiet process would hold its last lines (a "listening" line) for good.
 */
function batchedStdout(): DestinationStream & { flush(callback?: (error?: Error) => void): void } {
  const destination = pino.destination({ dest: 1, sync: false, minLength: logBatchBytes });
  let flushTimer: NodeJS.Timeout | undefined;
  let handedBytes = 0;
  let writtenBytes = 0;
  const flush = () => {
    flushTimer = undefined;
    destination.flush();
  };
  const flushSoon = () => (flushTimer ??= setTimeout(flush, logBatchDelayMs).unref());
  destination.on('write', (bytes: number) => (writtenBytes += bytes));
  destination.on('drain', () => {
    if (writtenBytes < handedBytes) flushSoon();
  });
  return {
    write(line: string) {
      handedBytes += Buffer.byteLength(line);
      destination.write(line);
      flushSoon();
    },
    flush: (callback) => destination.flush(callback),
  };
}

/** Structured JSON logger named after the service, on batched asynchronous stdout; LOG_LEVEL is passed in by the service's config. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceFields }, batchedStdout());
}
