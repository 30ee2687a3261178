import { status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { create, type DescMethodUnary, type DescService } from '@bufbuild/protobuf';
import type { HandlerContext } from '@connectrpc/connect';
import type { Logger } from 'pino';
import { runInCallContext } from './call-context.js';
import { GrpcHandlerContext } from './grpc-handler-context.js';
import { statusName, toGrpcError } from './status.js';
import { asStoreOutage, type StoreOutageClassifier } from '../shell/store-errors.js';
import { serverCallRecorder } from '../telemetry/metrics.js';
import { endServerSpan, GrpcServerSpans, inServerSpan } from '../telemetry/grpc-server-spans.js';
import { checkFieldBounds } from '../limits/field-bounds.js';
import { cappedDeadline } from '../limits/server-protection.js';
import { UndecodableRequest } from '../limits/undecodable.js';
import type { Admission } from '../limits/caller-rate-limit.js';

/** A connect-style unary implementation: request and handler context in, response (or its init shape) out. */
export type UnaryMethodImpl = (request: never, context: HandlerContext) => unknown;

/** Counts the calls in progress so shutdown can wait for them and refuse new ones. */
export class InFlightCalls {
  private count = 0;
  private draining = false;
  private readonly idleWaiters: Array<() => void> = [];

  /** Whether new calls are refused. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Registers a started call. */
  begin(): void {
    this.count += 1;
  }

  /** Registers a finished call. */
  end(): void {
    this.count -= 1;
    if (this.count === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
  }

  /** Refuses new calls and resolves once none is in progress or the bound passes. */
  async drain(boundMs: number): Promise<void> {
    this.draining = true;
    if (this.count === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, boundMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** What a unary handler needs besides its method and implementation. */
export interface UnaryHandlerOptions {
  readonly logger: Logger;
  readonly inFlight: InFlightCalls;
  readonly storeOutages?: readonly StoreOutageClassifier[];
  /** The longest a call may run, whatever deadline its caller set. */
  readonly maxCallMs: number;
  /** Runs before every call (for example per-caller rate limits); a rejection is the call's answer. */
  readonly admission?: Admission;
}

/**
 * Adapts a connect-style unary implementation to a grpc-js handler: undecodable or out-of-bounds requests answer
 * INVALID_ARGUMENT before the implementation runs; then call context, a capped deadline, error mapping, the call's
 * SERVER span (child of the caller's trace context), its RPC metrics and one log line per call (at debug for OK
 * answers, whose rate and duration the RPC metrics count; at info for every other code). What depends only on the
 * method (its path, span name and attributes, metric attributes) is built here once, not on every call.
 */
export function unaryHandler(service: DescService, method: DescMethodUnary, impl: UnaryMethodImpl, options: UnaryHandlerOptions) {
  const { logger, inFlight, storeOutages = [], maxCallMs, admission } = options;
  const path = `/${service.typeName}/${method.name}`;
  const spans = new GrpcServerSpans(service.typeName, method.name);
  const recordCall = serverCallRecorder(service.typeName, method.name, 'grpc');
  const overranLongestCallTime = `the call ran past the longest call time (${maxCallMs} ms)`;
  return (call: ServerUnaryCall<unknown, unknown>, plainCallback: sendUnaryData<unknown>): void => {
    if (inFlight.isDraining) {
      plainCallback({ code: status.UNAVAILABLE, details: 'server is shutting down' });
      return;
    }
    const started = performance.now();
    inFlight.begin();
    const served = spans.start(call.metadata);
    const callerDeadline = deadlineOf(call);
    const deadline = cappedDeadline(callerDeadline, maxCallMs);
    let answered = false;
    const callback: sendUnaryData<unknown> = (...answer) => {
      if (answered) return;
      answered = true;
      clearTimeout(overrun);
      plainCallback(...answer);
    };
    const context = new GrpcHandlerContext(service, method, path, deadline, call);
    const finish = (code: status, details?: string) => {
      context.abort(callFinished);
      inFlight.end();
      const elapsedMs = performance.now() - started;
      const codeName = statusName(code);
      recordCall(codeName, elapsedMs / 1000);
      endServerSpan(served, code, details);
      const level = code === status.OK ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) logger[level]({ method: path, code: codeName, durationMs: Math.round(elapsedMs) }, 'call');
    };
    const overrun = setTimeout(() => {
      if (answered) return;
      context.abort(callOverran);
      const details = deadline === callerDeadline ? 'the caller\'s deadline passed' : overranLongestCallTime;
      callback({ code: status.DEADLINE_EXCEEDED, details });
      finish(status.DEADLINE_EXCEEDED, details);
    }, Math.max(0, deadline - Date.now()));
    inServerSpan(served, () =>
      runInCallContext(context, async () => {
        try {
          if (admission) await admission({ method: path, requestHeader: context.requestHeader, peerAddress: peerHost(call.getPeer()) });
          const request = admittedRequest(method, call.request);
          const response = await impl(request as never, context);
          if (answered) return;
          const header = context.responseMetadata();
          if (header) call.sendMetadata(header);
          callback(null, create(method.output, response as never), context.trailerMetadata());
          finish(status.OK);
        } catch (error) {
          if (answered) return;
          const grpcError = toGrpcError(asStoreOutage(error, storeOutages), logger, path);
          callback(grpcError);
          finish(grpcError.code, grpcError.details);
        }
      }),
    ).catch((error: unknown) => logger.error({ err: error, method: path }, 'failed to answer a call'));
  };
}

const callOverran = new Error('the call ran past its deadline');
const callFinished = new Error('the call has been answered');

/** The decoded request, once it is known to be decodable and within the shared field bounds. */
function admittedRequest(method: DescMethodUnary, request: unknown): unknown {
  if (request instanceof UndecodableRequest) throw request.toError();
  checkFieldBounds(method.input, request);
  return request;
}

/** The host part of a grpc-js peer ("ipv4:1.2.3.4:5", "[::1]:5", "1.2.3.4:5"). */
export function peerHost(peer: string): string | undefined {
  const match = /^(?:ipv[46]:)?\[?([^\]]*?)\]?:\d+$/.exec(peer);
  return match?.[1] || undefined;
}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): number | undefined {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : undefined;
}
