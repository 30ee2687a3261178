/** Every port the local system listens on. */
export interface SystemPorts {
  readonly gatewayGrpc: number;
  readonly gatewayHttp: number;
  readonly products: number;
  readonly orders: number;
  readonly users: number;
  readonly cart: number;
  readonly search: number;
  readonly analytics: number;
  readonly ordersPrimary: number;
  readonly ordersReplica: number;
  readonly usersDatabase: number;
  readonly redis: number;
  readonly nats: number;
  readonly mongo: number;
  readonly elasticsearch: number;
}

/** Fixed default ports (listed in the README). */
export const DEFAULT_PORTS: SystemPorts = {
  gatewayGrpc: 50050,
  gatewayHttp: 8080,
  products: 50051,
  orders: 50052,
  users: 50053,
  cart: 50054,
  search: 50055,
  ordersPrimary: 55432,
  ordersReplica: 55433,
  usersDatabase: 55434,
  redis: 56379,
  nats: 54222,
  mongo: 57017,
  elasticsearch: 59200,
  analytics: 50056,
};

/**
 * The ports to use: the defaults shifted by an offset, or, with a base, consecutive ports from the base in the
 * order of DEFAULT_PORTS (to run a second system, or a test, beside the first).
 */
export function systemPorts(offset: number, base?: number): SystemPorts {
  const entries = Object.entries(DEFAULT_PORTS).map(([name, port], index) => [name, base === undefined ? port + offset : base + index]);
  return Object.fromEntries(entries) as unknown as SystemPorts;
}

/** The loopback address every internal service binds to. */
export const LOOPBACK = '127.0.0.1';
