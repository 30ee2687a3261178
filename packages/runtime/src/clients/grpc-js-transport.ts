import { connectivityState, credentials, Client as GrpcClient, Metadata, propagate, status as grpcStatus, type ChannelOptions, type StatusObject } from '@grpc/grpc-js';
import { create, fromBinary, isMessage, toBinary, type DescMessage, type DescMethodUnary, type MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues, type ContextValues, type Interceptor, type Transport, type UnaryRequest, type UnaryResponse } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';

type UnaryNext = (request: UnaryRequest) => Promise<UnaryResponse>;
type Channel = ReturnType<GrpcClient['getChannel']>;

/**
 * The channel's reconnect backoff: a restarted dependency is called again within a second, in step with the circuit
 * breaker's first trial (grpc-js would otherwise back off up to two minutes). Each channel has its own connection
 * (a local subchannel pool): grpc-js otherwise shares one per address across channels, and a fresh channel would
 * inherit another one's backoff. No channelz figures are kept per call: nothing reads them.
 */
const channelOptions: ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  'grpc.use_local_subchannel_pool': 1,
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  'grpc.enable_channelz': 0,
};

const neverAborted = new AbortController().signal;

/**
 * A Connect transport whose unary calls run on a grpc-js channel (one HTTP/2 connection per address, shared by every
 * client of it): Connect's typed clients and interceptors on top, grpc-js's cheaper HTTP/2 call path underneath. The
 * deadline travels as grpc-timeout, the caller's signal cancels the call, and failures are ConnectErrors with the
 * gRPC status code and the response's header and trailer as metadata. Streaming calls use Connect's own gRPC transport.
 */
export function grpcJsTransport(address: string, interceptors: readonly Interceptor[] = []): Transport {
  const channel = renewingChannel(address);
  const baseUrl = `http://${address}`;
  let streaming: Transport | undefined;
  return {
    unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0],
      input: MessageInitShape<I>,
      contextValues?: ContextValues,
    ): Promise<UnaryResponse<I, O>> {
      const request: UnaryRequest<I, O> = {
        stream: false,
        service: method.parent,
        method,
        requestMethod: 'POST',
        url: `${baseUrl}/${method.parent.typeName}/${method.name}`,
        header: new Headers(header),
        contextValues: contextValues ?? createContextValues(),
        signal: signal ?? neverAborted,
        message: isMessage(input, method.input) ? input : create(method.input, input),
      };
      const deadline = timeoutMs === undefined || timeoutMs <= 0 ? Infinity : Date.now() + timeoutMs;
      const send: UnaryNext = (sent) => unaryOnChannel(channel(), sent, deadline);
      const next = interceptors.reduceRight<UnaryNext>((inner, interceptor) => interceptor(inner as never) as UnaryNext, send);
      return next(request) as Promise<UnaryResponse<I, O>>;
    },
    stream(...args) {
      streaming ??= createGrpcTransport({ baseUrl, interceptors: [...interceptors] });
      return streaming.stream(...args);
    },
  };
}

/**
 * A channel that a call replaces when it finds it waiting out its reconnect backoff, so the call connects at once, as a
 * fresh connection per call would: a restarted dependency is reached by the first call after it is back, retried or
 * not. At most one replacement per renewal interval, so a dependency that stays down costs one connect attempt per
 * interval whatever the call rate.
 */
function renewingChannel(address: string, renewalIntervalMs = 100): () => Channel {
  const open = () => new GrpcClient(address, credentials.createInsecure(), channelOptions).getChannel();
  let channel = open();
  let renewedAt = 0;
  return () => {
    if (channel.getConnectivityState(false) === connectivityState.TRANSIENT_FAILURE && Date.now() - renewedAt >= renewalIntervalMs) {
      renewedAt = Date.now();
      channel.close();
      channel = open();
    }
    return channel;
  };
}

function unaryOnChannel(channel: Channel, request: UnaryRequest, deadline: number): Promise<UnaryResponse> {
  const { method, signal } = request;
  if (signal.aborted) return Promise.reject(ConnectError.from(signal.reason, Code.Canceled));
  const call = channel.createCall(`/${method.parent.typeName}/${method.name}`, deadline, undefined, null, propagate.DEFAULTS);
  return new Promise((resolve, reject) => {
    let header = new Headers();
    let message: Buffer | undefined;
    const cancel = () => call.cancelWithStatus(grpcStatus.CANCELLED, 'cancelled by the caller');
    signal.addEventListener('abort', cancel, { once: true });
    call.start(metadataOf(request.header), {
      onReceiveMetadata: (metadata) => (header = headersOf(metadata)),
      onReceiveMessage: (received: Buffer) => (message = received),
      onReceiveStatus: (status: StatusObject) => {
        signal.removeEventListener('abort', cancel);
        const trailer = headersOf(status.metadata);
        if (status.code !== grpcStatus.OK) return reject(callError(status, header, trailer, signal));
        if (message === undefined) return reject(new ConnectError('protocol error: missing output message for unary method', Code.Unimplemented, trailer));
        try {
          resolve({ stream: false, service: method.parent, method, header, message: fromBinary(method.output, message), trailer });
        } catch (error) {
          reject(new ConnectError(`protocol error: undecodable response: ${String(error)}`, Code.Internal));
        }
      },
    });
    call.sendMessageWithContext({}, Buffer.from(toBinary(method.input, request.message)));
    call.halfClose();
    call.startRead();
  });
}

function callError(status: StatusObject, header: Headers, trailer: Headers, signal: AbortSignal): ConnectError {
  if (status.code === grpcStatus.CANCELLED && signal.aborted) return ConnectError.from(signal.reason, Code.Canceled);
  const metadata = new Headers(header);
  trailer.forEach((value, key) => metadata.append(key, value));
  return new ConnectError(status.details, status.code as number as Code, metadata);
}

function metadataOf(headers: Headers): Metadata {
  const metadata = new Metadata();
  headers.forEach((value, key) => {
    if (key.endsWith('-bin')) for (const part of value.split(',')) metadata.add(key, Buffer.from(part.trim(), 'base64'));
    else metadata.add(key, value);
  });
  return metadata;
}

function headersOf(metadata: Metadata): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    for (const value of values) headers.append(key, typeof value === 'string' ? value : Buffer.from(value).toString('base64'));
  }
  return headers;
}
