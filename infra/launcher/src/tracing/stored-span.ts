/** A span as read back from the local receiver's file under <dataDir>/traces/. */
export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  /** service.name of the resource that sent it. */
  readonly service: string;
  /** Epoch nanoseconds, as decimal strings (they exceed a double's precision). */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly statusMessage?: string;
  readonly attributes: Record<string, string | number | boolean>;
  readonly links: ReadonlyArray<{ traceId: string; spanId: string }>;
}

/** The span's duration in milliseconds. */
export function durationMs(span: StoredSpan): number {
  return Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
}
