import type { ChannelOptions } from '@grpc/grpc-js';

/** How much one caller may ask of a server: message size, concurrent streams, connection lifetime, call duration. */
export interface ServerProtection {
  /** The largest request message accepted, in bytes; a larger one answers RESOURCE_EXHAUSTED. */
  readonly maxReceiveMessageBytes: number;
  /** Calls one HTTP/2 connection may have in progress at once. */
  readonly maxConcurrentStreams: number;
  /** A connection with no call for this long is closed (the client reconnects on its next call). */
  readonly maxConnectionIdleMs: number;
  /** How often the server pings a connection to find dead peers, and how long it waits for the answer. */
  readonly keepaliveTimeMs: number;
  readonly keepaliveTimeoutMs: number;
  /** The longest a call may run, whatever deadline its caller set (or none): past it the call answers DEADLINE_EXCEEDED. */
  readonly maxCallMs: number;
}

/** Defaults sized for this system's requests: every bounded field of the largest request fits well within 1 MiB. */
export const defaultServerProtection: ServerProtection = {
  maxReceiveMessageBytes: 1024 * 1024,
  maxConcurrentStreams: 512,
  maxConnectionIdleMs: 5 * 60_000,
  keepaliveTimeMs: 60_000,
  keepaliveTimeoutMs: 20_000,
  maxCallMs: 60_000,
};

/** The grpc-js server options that enforce a protection. */
export function grpcServerOptions(protection: ServerProtection): ChannelOptions {
  return {
    'grpc.max_receive_message_length': protection.maxReceiveMessageBytes,
    'grpc.max_concurrent_streams': protection.maxConcurrentStreams,
    'grpc.max_connection_idle_ms': protection.maxConnectionIdleMs,
    'grpc.keepalive_time_ms': protection.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': protection.keepaliveTimeoutMs,
  };
}

/** The deadline a call runs under: its caller's, capped at maxCallMs from now. */
export function cappedDeadline(callerDeadline: number | undefined, maxCallMs: number, now = Date.now()): number {
  const cap = now + maxCallMs;
  return callerDeadline === undefined ? cap : Math.min(callerDeadline, cap);
}
