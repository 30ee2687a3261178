import { Code, ConnectError, createClient, type CallOptions, type Client } from '@connectrpc/connect';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import type { Interceptor, Transport } from '@connectrpc/connect';
import { remainingDeadlineMs } from '../grpc/call-context.js';
import { grpcJsTransport } from './grpc-js-transport.js';
import { tracingInterceptor } from '../telemetry/connect-tracing.js';
import { asDependencyError, CallerDeadlinePassed, defaultResilience, dependencyPolicies, type ResilienceOptions } from './resilience.js';

/** How to reach and call one dependency. */
export interface ServiceClientOptions {
  /** The dependency's name, used in errors: "products". */
  readonly name: string;
  /** host:port of the dependency's gRPC server. */
  readonly address?: string;
  /** A ready transport instead of an address (for example createRouterTransport in tests). */
  readonly transport?: Transport;
  /** Deadline of a call made outside any incoming call, and the cap of propagated ones. */
  readonly defaultTimeoutMs?: number;
  readonly resilience?: ResilienceOptions;
  /** Interceptors of every call, for example tracing or call counting. */
  readonly interceptors?: Interceptor[];
}

/** The transport every client uses: the gRPC protocol over a grpc-js channel, each call traced (W3C trace context in its headers). */
export function grpcTransport(address: string, interceptors: Interceptor[] = []): Transport {
  return grpcJsTransport(address, [tracingInterceptor(address), ...interceptors]);
}

/**
 * A typed client of a generated service. Each call carries a deadline (its own timeout, else the client's budget,
 * never past the incoming call's remaining time), idempotent methods retry on UNAVAILABLE with backoff, a circuit
 * breaker stops calls to a dependency that keeps failing (a deadline counts only when the dependency had the client's
 * whole budget, not when the caller's own deadline or a shorter timeout it chose left less), and dependency failures
 * surface as UNAVAILABLE naming the dependency.
 */
export function createServiceClient<S extends DescService>(service: S, options: ServiceClientOptions): Client<S> {
  const transport = options.transport ?? grpcTransport(requireAddress(options), options.interceptors);
  const client = createClient(service, transport) as unknown as Record<string, (request: unknown, callOptions?: CallOptions) => Promise<unknown>>;
  const policies = dependencyPolicies(options.resilience ?? defaultResilience);
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 5000;
  const wrapped: Record<string, unknown> = {};
  for (const method of service.methods) {
    const call = client[method.localName]!;
    const policy = isIdempotent(method) ? policies.idempotent : policies.other;
    wrapped[method.localName] = async (request: unknown, callOptions: CallOptions = {}) => {
      const chosen = callOptions.timeoutMs ?? defaultTimeoutMs;
      const cutByCaller = callerCut(chosen);
      const timeoutMs = cutByCaller ?? chosen;
      try {
        return await policy.execute(() => call(request, { ...callOptions, timeoutMs }).catch((error: unknown) => {
          const shortBecause = cutByCaller !== undefined ? "the caller's deadline left too little time" : chosen < defaultTimeoutMs ? `the caller allowed it ${chosen} ms` : undefined;
          if (shortBecause !== undefined && error instanceof ConnectError && error.code === Code.DeadlineExceeded) throw new CallerDeadlinePassed(error, shortBecause);
          throw lostConnectionAsUnavailable(error, callOptions.signal);
        }));
      } catch (error) {
        throw asDependencyError(options.name, error);
      }
    };
  }
  return wrapped as unknown as Client<S>;
}

/**
 * A call the caller did not cancel but that ended CANCELED lost its connection: the peer died or closed it mid-call
 * (HTTP/2 RST_STREAM CANCEL, "connection aborted"). That is the peer being unreachable, answered as UNAVAILABLE so
 * idempotent calls retry and the circuit counts it, never passed on as the caller's own cancellation.
 */
function lostConnectionAsUnavailable(error: unknown, signal: AbortSignal | undefined): unknown {
  if (!(error instanceof ConnectError) || error.code !== Code.Canceled || signal?.aborted) return error;
  return new ConnectError(`connection lost: ${error.rawMessage}`, Code.Unavailable, undefined, undefined, error);
}

/** The incoming call's time left when it is shorter than the call's timeout (then the call's deadline), else undefined. */
function callerCut(timeoutMs: number): number | undefined {
  const remaining = remainingDeadlineMs();
  return remaining === undefined || remaining >= timeoutMs ? undefined : Math.max(1, remaining);
}

function isIdempotent(method: DescMethod): boolean {
  return method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS || method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT;
}

function requireAddress(options: ServiceClientOptions): string {
  if (!options.address) throw new Error(`client of ${options.name}: an address or a transport is required`);
  return options.address;
}
