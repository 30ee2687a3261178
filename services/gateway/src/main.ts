import type { Interceptor, Transport } from '@connectrpc/connect';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import {
  bindService,
  CallerRateLimiter,
  corsOrigins,
  createLogger,
  isEntryPoint,
  rateLimitAdmission,
  ResourceStack,
  runService,
  startConnectServer,
  startGrpcServer,
  type Logger,
  type RunningServer,
} from '@shop/runtime';
import { storefrontService } from './api/storefront-service.js';
import { TokenAuthority } from './auth/jwt.js';
import { loadConfig, type GatewayConfig } from './config.js';
import { Storefront } from './domain/storefront.js';
import { createDownstreamClients, type DownstreamName } from './peers/downstream-clients.js';
import { downstreamPorts } from './peers/downstream-ports.js';

/** The running gateway: gRPC (with reflection and health) and Connect over HTTP. */
export interface RunningGateway extends RunningServer {
  /** Base URL of the Connect (HTTP/JSON) endpoint. */
  readonly httpUrl: string;
}

/** Options of startGateway. */
export interface GatewayOptions {
  readonly logger?: Logger;
  /** Interceptors of every downstream call (tracing, call counting). */
  readonly interceptors?: Interceptor[];
  /** Transports to use instead of the configured addresses, for example createRouterTransport in tests. */
  readonly transports?: Partial<Record<DownstreamName, Transport>>;
}

/** Starts the gateway: the storefront composition over the downstream services, served over gRPC and Connect. */
export function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const warn = (resource: string, error: unknown) => logger.warn({ err: error, resource }, 'failed to close');
  return new ResourceStack().guard(async (stack) => {
    const clients = createDownstreamClients({ addresses: config.addresses, timeoutMs: config.downstreamTimeoutMs, interceptors: options.interceptors, transports: options.transports });
    const storefront = new Storefront(downstreamPorts(clients), { optionalPartMs: config.optionalPartTimeoutMs });
    const tokens = new TokenAuthority(config.jwtSecret, config.jwtIssuer);
    const services = [bindService(StorefrontService, storefrontService(storefront, tokens))];
    const admission = rateLimitAdmission(new CallerRateLimiter(config.rateLimits), async (header) => (await tokens.principalOf(header.get('authorization')))?.userId);
    const cors = corsOrigins(config.corsOrigins);
    const http = stack.use('http', await startConnectServer({ services, host: config.host, port: config.httpPort, logger, admission, cors }), (server) => server.close());
    const grpc = await startGrpcServer({ services, logger, admission, host: config.host, port: config.port, resources: stack.entries });
    return { ...grpc, httpUrl: http.url };
  }, warn);
}

if (isEntryPoint(import.meta.url)) runService(async () => startGateway(loadConfig()));
