/** Fixed ports of the services when the whole system runs locally (listed in the README). */
export const SERVICE_PORTS = {
  gatewayGrpc: 50050,
  gatewayHttp: 8080,
  products: 50051,
  orders: 50052,
  users: 50053,
  cart: 50054,
  search: 50055,
} as const;

/** Fixed ports of the two stand-ins. */
export const STAND_IN_PORTS = { mongo: 57017, elasticsearch: 59200 } as const;

/** The loopback address every internal service binds to. */
export const LOOPBACK = '127.0.0.1';
