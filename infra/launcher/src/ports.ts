/** Every port the local system listens on. */
export interface SystemPorts {
  readonly gatewayGrpc: number;
  readonly gatewayHttp: number;
  readonly products: number;
  readonly orders: number;
  readonly users: number;
  readonly cart: number;
  readonly search: number;
  readonly ordersPrimary: number;
  readonly ordersReplica: number;
  readonly usersDatabase: number;
  readonly redis: number;
  readonly nats: number;
  readonly mongo: number;
  readonly elasticsearch: number;
}

/** Fixed default ports (listed in the README), all below 32768 so none falls in Linux's ephemeral range (32768–60999). */
export const DEFAULT_PORTS: SystemPorts = {
  gatewayGrpc: 20050,
  gatewayHttp: 8080,
  products: 20051,
  orders: 20052,
  users: 20053,
  cart: 20054,
  search: 20055,
  ordersPrimary: 25432,
  ordersReplica: 25433,
  usersDatabase: 25434,
  redis: 26379,
  nats: 24222,
  mongo: 28017,
  elasticsearch: 29200,
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

/** Browser origins the local gateway's Connect endpoint accepts: any port on this machine. */
export const LOCAL_ORIGINS = 'http://localhost:*,http://127.0.0.1:*';
