import { Metadata, type ServerUnaryCall } from '@grpc/grpc-js';
import type { DescMethodUnary, DescService } from '@bufbuild/protobuf';
import { createContextValues, type ContextValues, type HandlerContext } from '@connectrpc/connect';
import type { CallContext } from './call-context.js';

const callCancelled = new Error('the caller cancelled the call');

/**
 * The context a connect-style implementation sees for one grpc-js call, and the call's CallContext. Its signal aborts
 * when the caller cancels, at the call's deadline (the caller's, capped at the longest call time) and once the call is
 * answered, all by the handler's own timer. The abort controller, request headers, response headers and trailers and
 * the context values are made only when the handler asks for them: most never do, and a call then builds none of them.
 */
export class GrpcHandlerContext implements HandlerContext, CallContext {
  readonly protocolName = 'grpc';
  readonly requestMethod = 'POST';
  /** Milliseconds left before the call's deadline. */
  readonly timeoutMs = () => Math.max(0, this.deadline - Date.now());
  private controller?: AbortController;
  private reason?: Error;
  private madeRequestHeader?: Headers;
  private madeResponseHeader?: Headers;
  private madeResponseTrailer?: Headers;
  private madeValues?: ContextValues;

  constructor(
    readonly service: DescService,
    readonly method: DescMethodUnary,
    readonly url: string,
    /** Absolute deadline in epoch milliseconds. */
    readonly deadline: number,
    private readonly call: ServerUnaryCall<unknown, unknown>,
  ) {}

  /** Aborts when the call is cancelled, overruns or is answered; aborted already when that happened before. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.call.cancelled) this.abort(callCancelled);
      else this.call.once('cancelled', () => this.abort(callCancelled));
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** The call's metadata as headers. */
  get requestHeader(): Headers {
    return (this.madeRequestHeader ??= headersOf(this.call.metadata));
  }

  /** Headers to send before the response. */
  get responseHeader(): Headers {
    return (this.madeResponseHeader ??= new Headers());
  }

  /** Trailers to send with the status. */
  get responseTrailer(): Headers {
    return (this.madeResponseTrailer ??= new Headers());
  }

  /** Values interceptors and handlers share. */
  get values(): ContextValues {
    return (this.madeValues ??= createContextValues());
  }

  /** The response headers the handler set, as metadata; undefined when it set none. */
  responseMetadata(): Metadata | undefined {
    return this.madeResponseHeader && metadataOf(this.madeResponseHeader);
  }

  /** The response trailers the handler set, as metadata; undefined when it set none. */
  trailerMetadata(): Metadata | undefined {
    return this.madeResponseTrailer && metadataOf(this.madeResponseTrailer);
  }

  /** Aborts the signal (the first reason stays). */
  abort(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

function headersOf(metadata: Metadata): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === 'string') headers.set(key, value);
  }
  return headers;
}

function metadataOf(headers: Headers): Metadata | undefined {
  let metadata: Metadata | undefined;
  headers.forEach((value, key) => {
    metadata ??= new Metadata();
    metadata.set(key, value);
  });
  return metadata;
}
