import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DescService } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Logger } from 'pino';
import { runInCallContext } from '../grpc/call-context.js';
import type { ServiceBinding } from '../grpc/server.js';
import { statusName, toConnectError } from '../grpc/status.js';
import { nameServerSpan } from '../telemetry/connect-tracing.js';
import { recordServerCall } from '../telemetry/metrics.js';

/** A running HTTP server speaking the Connect protocol (and gRPC-Web) with JSON or binary bodies. */
export interface RunningConnectServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the bindings over HTTP/1.1 with the Connect protocol, so curl and browsers can call them with JSON. */
export async function startConnectServer(options: {
  services: readonly ServiceBinding[];
  host: string;
  port: number;
  logger: Logger;
}): Promise<RunningConnectServer> {
  const handler = connectNodeAdapter({
    routes: (router) => {
      for (const { service, impl } of options.services) router.service(service, withCallContext(service, impl, options.logger));
    },
  });
  const server = createServer(handler);
  const port = await listen(server, options.host, options.port);
  const url = `http://${options.host}:${port}`;
  options.logger.info({ url, protocol: 'connect' }, 'listening');
  return { port, url, close: () => close(server) };
}

function withCallContext(service: DescService, impl: Partial<ServiceImpl<DescService>>, logger: Logger): Partial<ServiceImpl<DescService>> {
  const wrapped: Record<string, unknown> = {};
  for (const method of service.methods) {
    const methodImpl = (impl as Record<string, ((request: unknown, context: HandlerContext) => unknown) | undefined>)[method.localName];
    if (!methodImpl) continue;
    const path = `/${service.typeName}/${method.name}`;
    wrapped[method.localName] = async (request: unknown, context: HandlerContext) => {
      const started = performance.now();
      nameServerSpan(service.typeName, method.name);
      const timeoutMs = context.timeoutMs();
      const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
      let code = 'OK';
      try {
        return await runInCallContext({ deadline, requestHeader: context.requestHeader }, () => methodImpl.call(impl, request, context));
      } catch (error) {
        const connectError = toConnectError(error, logger, path);
        code = statusName(connectError.code as number);
        throw connectError;
      } finally {
        const elapsedMs = performance.now() - started;
        recordServerCall(service.typeName, method.name, code, 'connect_rpc', elapsedMs / 1000);
        logger.info({ method: path, protocol: 'connect', code, durationMs: Math.round(elapsedMs) }, 'call');
      }
    };
  }
  return wrapped as Partial<ServiceImpl<DescService>>;
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
