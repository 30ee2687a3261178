import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createConnectRouter, createContextKey, createContextValues, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import type { Logger } from 'pino';
import { runInCallContext } from '../grpc/call-context.js';
import type { ServiceBinding } from '../grpc/server.js';
import { statusName, toConnectError } from '../grpc/status.js';
import { nameServerSpan } from '../telemetry/connect-tracing.js';
import { serverCallRecorder } from '../telemetry/metrics.js';
import { checkFieldBounds } from '../limits/field-bounds.js';
import { cappedDeadline, defaultServerProtection, type ServerProtection } from '../limits/server-protection.js';
import type { Admission } from '../limits/caller-rate-limit.js';
import { checkBinaryBody, undecodableKey } from './binary-check.js';
import { CorsPolicy, type CorsSettings } from './cors.js';
import { acceptedRequestCompression } from './request-compression.js';

/** A running HTTP server speaking the Connect protocol (and gRPC-Web) with JSON or binary bodies. */
export interface RunningConnectServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Options of startConnectServer. */
export interface ConnectServerOptions {
  readonly services: readonly ServiceBinding[];
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** Browser origins allowed to call; none when unset. */
  readonly cors?: CorsSettings;
  /** Runs before every call's handler, for example per-caller rate limits. */
  readonly admission?: Admission;
  /** Size and time limits (the message size and call duration apply here); unset values keep the defaults. */
  readonly protection?: Partial<ServerProtection>;
}

const peerAddressKey = createContextKey<string | undefined>(undefined);

/**
 * Serves the bindings over HTTP/1.1 with the Connect protocol, so curl and browsers can call them with JSON. Requests
 * are held to the same limits as gRPC ones: message size, field bounds, undecodable bodies as INVALID_ARGUMENT, a capped deadline.
 */
export async function startConnectServer(options: ConnectServerOptions): Promise<RunningConnectServer> {
  const protection = { ...defaultServerProtection, ...options.protection };
  const router = createConnectRouter({ readMaxBytes: protection.maxReceiveMessageBytes, grpc: false, acceptCompression: acceptedRequestCompression });
  for (const { service, impl } of options.services) router.service(service, guarded(service, impl, options, protection.maxCallMs));
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));
  const cors = new CorsPolicy(options.cors ?? { allowedOrigins: [] });
  const server = createServer((request, response) => {
    if (cors.handle(request, response)) return;
    const handler = handlers.get((request.url ?? '').split('?', 1)[0]!);
    if (!handler) {
      response.writeHead(404).end();
      return;
    }
    serve(handler, request, response, protection.maxReceiveMessageBytes).catch((error: unknown) => {
      if (ConnectError.from(error).code !== Code.Aborted) options.logger.warn({ err: error, method: handler.requestPath }, 'failed to answer a call');
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.requestTimeout = protection.maxCallMs;
  server.headersTimeout = Math.min(60_000, protection.maxCallMs);
  const port = await listen(server, options.host, options.port);
  const url = `http://${options.host}:${port}`;
  options.logger.info({ url, protocol: 'connect', corsOrigins: options.cors?.allowedOrigins ?? [] }, 'listening');
  return { port, url, close: () => close(server) };
}

async function serve(handler: UniversalHandler, request: IncomingMessage, response: ServerResponse, readMaxBytes: number): Promise<void> {
  const contextValues = createContextValues().set(peerAddressKey, request.socket.remoteAddress);
  const universal = universalRequestFromNodeRequest(request, response, undefined, contextValues);
  const checked = await checkBinaryBody(universal, handler.method.input, readMaxBytes);
  await universalResponseToNodeResponse(await handler(checked), response);
}

function guarded(service: DescService, impl: Partial<ServiceImpl<DescService>>, options: ConnectServerOptions, maxCallMs: number): Partial<ServiceImpl<DescService>> {
  const { logger, admission } = options;
  const wrapped: Record<string, unknown> = {};
  for (const method of service.methods) {
    const methodImpl = (impl as Record<string, ((request: unknown, context: HandlerContext) => unknown) | undefined>)[method.localName];
    if (!methodImpl) continue;
    const path = `/${service.typeName}/${method.name}`;
    const recordCall = serverCallRecorder(service.typeName, method.name, 'connect_rpc');
    wrapped[method.localName] = async (request: unknown, context: HandlerContext) => {
      const started = performance.now();
      nameServerSpan(service.typeName, method.name);
      const timeoutMs = context.timeoutMs();
      const deadline = cappedDeadline(timeoutMs === undefined ? undefined : Date.now() + timeoutMs, maxCallMs);
      let code = 'OK';
      try {
        await admission?.({ method: path, requestHeader: context.requestHeader, peerAddress: context.values.get(peerAddressKey) });
        const undecodable = context.values.get(undecodableKey);
        if (undecodable) throw undecodable.toError();
        checkFieldBounds(method.input, request);
        const call = runInCallContext({ deadline, requestHeader: context.requestHeader }, () => methodImpl.call(impl, request, context));
        return await (timeoutMs !== undefined && timeoutMs <= maxCallMs ? call : withinDeadline(Promise.resolve(call), deadline, maxCallMs));
      } catch (error) {
        const connectError = toConnectError(error, logger, path);
        code = statusName(connectError.code as number);
        throw connectError;
      } finally {
        const elapsedMs = performance.now() - started;
        recordCall(code, elapsedMs / 1000);
        const level = code === 'OK' ? 'debug' : 'info';
        if (logger.isLevelEnabled(level)) logger[level]({ method: path, protocol: 'connect', code, durationMs: Math.round(elapsedMs) }, 'call');
      }
    };
  }
  return wrapped as Partial<ServiceImpl<DescService>>;
}

function withinDeadline<T>(call: Promise<T>, deadline: number, maxCallMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectError(`the call ran past the longest call time (${maxCallMs} ms)`, Code.DeadlineExceeded)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([call, overrun]).finally(() => clearTimeout(timer));
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
