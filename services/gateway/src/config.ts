import { z } from 'zod';
import { addressVar, logLevelVar, parseEnv, portVar, positiveIntVar } from '@shop/runtime';

const schema = z.object({
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_GRPC_PORT: portVar(20050),
  GATEWAY_HTTP_PORT: portVar(8080),
  PRODUCTS_ADDR: addressVar('127.0.0.1:20051'),
  ORDERS_ADDR: addressVar('127.0.0.1:20052'),
  USERS_ADDR: addressVar('127.0.0.1:20053'),
  CART_ADDR: addressVar('127.0.0.1:20054'),
  SEARCH_ADDR: addressVar('127.0.0.1:20055'),
  GATEWAY_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  GATEWAY_JWT_ISSUER: z.string().min(1).default('shop-gateway'),
  GATEWAY_DOWNSTREAM_TIMEOUT_MS: positiveIntVar(3000),
  GATEWAY_OPTIONAL_PART_TIMEOUT_MS: positiveIntVar(800),
  GATEWAY_CORS_ORIGINS: z.string().default(''),
  GATEWAY_RATE_LIMIT_PER_SECOND: positiveIntVar(20),
  GATEWAY_RATE_LIMIT_BURST: positiveIntVar(40),
  GATEWAY_ADDRESS_RATE_LIMIT_PER_SECOND: positiveIntVar(200),
  GATEWAY_ADDRESS_RATE_LIMIT_BURST: positiveIntVar(400),
  LOG_LEVEL: logLevelVar,
});

/** The gateway's configuration. */
export type GatewayConfig = z.infer<typeof schema>;

/** Reads the gateway's configuration from the environment; fails naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return parseEnv(schema, env);
}
