import { z } from 'zod';
import { addressVar, parseEnv, portVar, positiveIntVar, serviceBasics, type ServiceBasics } from '@shop/runtime';
import { systemMap } from '@shop/system-map';
import type { DownstreamName } from './peers/downstream-clients.js';

const schema = z.object({
  GATEWAY_GRPC_PORT: portVar(systemMap.gateway.port),
  GATEWAY_HTTP_PORT: portVar(systemMap.gateway.httpPort ?? 8080),
  PRODUCTS_ADDR: addressVar(`127.0.0.1:${systemMap.products.port}`),
  ORDERS_ADDR: addressVar(`127.0.0.1:${systemMap.orders.port}`),
  USERS_ADDR: addressVar(`127.0.0.1:${systemMap.users.port}`),
  CART_ADDR: addressVar(`127.0.0.1:${systemMap.cart.port}`),
  SEARCH_ADDR: addressVar(`127.0.0.1:${systemMap.search.port}`),
  ANALYTICS_ADDR: addressVar(`127.0.0.1:${systemMap.analytics.port}`),
  GATEWAY_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  GATEWAY_JWT_ISSUER: z.string().min(1).default('shop-gateway'),
  GATEWAY_DOWNSTREAM_TIMEOUT_MS: positiveIntVar(3000),
  GATEWAY_OPTIONAL_PART_TIMEOUT_MS: positiveIntVar(800),
  GATEWAY_CORS_ORIGINS: z.string().default(''),
  GATEWAY_RATE_LIMIT_PER_SECOND: positiveIntVar(20),
  GATEWAY_RATE_LIMIT_BURST: positiveIntVar(40),
  GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND: positiveIntVar(200),
  GATEWAY_ADDRESS_RATE_LIMIT_BURST: positiveIntVar(400),
});

/** The gateway's configuration. */
export interface GatewayConfig extends ServiceBasics {
  /** Port of the gRPC endpoint (GATEWAY_GRPC_PORT). */
  readonly port: number;
  /** Port of the Connect (HTTP/JSON) endpoint; `port` is the gRPC one. */
  readonly httpPort: number;
  readonly addresses: Record<DownstreamName, string>;
  readonly jwtSecret: string;
  readonly jwtIssuer: string;
  /** Cap of every downstream call's deadline. */
  readonly downstreamTimeoutMs: number;
  /** Budget of a non-essential part of a composed answer. */
  readonly optionalPartTimeoutMs: number;
  /** Origins allowed to call the Connect endpoint from a browser (GATEWAY_CORS_ORIGINS, comma-separated; `*` matches one label or port). */
  readonly corsOrigins: string;
  /** Token buckets per authenticated user and per client address. */
  readonly rateLimits: { readonly perUser: RateLimit; readonly perAddress: RateLimit };
}

/** A per-second rate with a burst allowance. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Reads the gateway's configuration from the environment; fails naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const own = parseEnv(schema, env);
  return {
    ...serviceBasics('gateway', env),
    port: own.GATEWAY_GRPC_PORT,
    httpPort: own.GATEWAY_HTTP_PORT,
    addresses: { products: own.PRODUCTS_ADDR, orders: own.ORDERS_ADDR, users: own.USERS_ADDR, cart: own.CART_ADDR, search: own.SEARCH_ADDR, analytics: own.ANALYTICS_ADDR },
    jwtSecret: own.GATEWAY_JWT_SECRET,
    jwtIssuer: own.GATEWAY_JWT_ISSUER,
    downstreamTimeoutMs: own.GATEWAY_DOWNSTREAM_TIMEOUT_MS,
    optionalPartTimeoutMs: own.GATEWAY_OPTIONAL_PART_TIMEOUT_MS,
    corsOrigins: own.GATEWAY_CORS_ORIGINS,
    rateLimits: {
      perUser: { perSecond: own.GATEWAY_RATE_LIMIT_PER_SECOND, burst: own.GATEWAY_RATE_LIMIT_BURST },
      perAddress: { perSecond: own.GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND, burst: own.GATEWAY_ADDRESS_RATE_LIMIT_BURST },
    },
  };
}
