import type { Interceptor } from '@connectrpc/connect';
import { bindService, CallerRateLimiter, corsOrigins, createLogger, rateLimitAdmission, startConnectServer, startGrpcServer, type RunningServer } from '@shop/runtime';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import type { GatewayConfig } from './config.js';
import { TokenAuthority } from './auth/jwt.js';
import { createDownstream } from './downstream.js';
import { storefrontService } from './api/storefront-service.js';

/** The running gateway: gRPC (with reflection and health) and Connect over HTTP. */
export interface RunningGateway extends RunningServer {
  /** Base URL of the Connect (HTTP/JSON) endpoint. */
  readonly httpUrl: string;
}

/** Starts the gateway; interceptors see every downstream call. */
export async function startGateway(config: GatewayConfig, options: { interceptors?: Interceptor[] } = {}): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const tokens = new TokenAuthority(config.GATEWAY_JWT_SECRET, config.GATEWAY_JWT_ISSUER);
  const impl = storefrontService(createDownstream(config, options.interceptors), tokens, { optionalPartMs: config.GATEWAY_OPTIONAL_PART_TIMEOUT_MS });
  const services = [bindService(StorefrontService, impl)];
  const limits = { perUser: { perSecond: config.GATEWAY_RATE_LIMIT_PER_SECOND, burst: config.GATEWAY_RATE_LIMIT_BURST }, perAddress: { perSecond: config.GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND, burst: config.GATEWAY_ADDRESS_RATE_LIMIT_BURST } };
  const admission = rateLimitAdmission(new CallerRateLimiter(limits), async (header) => (await tokens.principalOf(header.get('authorization')))?.userId);
  const http = await startConnectServer({ services, host: config.GATEWAY_HOST, port: config.GATEWAY_HTTP_PORT, logger, admission, cors: corsOrigins(config.GATEWAY_CORS_ORIGINS) });
  const grpc = await startGrpcServer({
    services,
    logger,
    admission,
    host: config.GATEWAY_HOST,
    port: config.GATEWAY_GRPC_PORT,
    resources: [{ name: 'http', close: () => http.close() }],
  });
  return { ...grpc, httpUrl: http.url };
}
