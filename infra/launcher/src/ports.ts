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
  /** The local OTLP/HTTP receiver of traces. */
  readonly otlpReceiver: number;
  /** Each service's Prometheus /metrics endpoint. */
  readonly gatewayMetrics: number;
  readonly productsMetrics: number;
  readonly ordersMetrics: number;
  readonly usersMetrics: number;
  readonly cartMetrics: number;
  readonly searchMetrics: number;
  /** Prometheus, when installed (scripts/setup.sh --with prometheus). */
  readonly prometheus: number;
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
  otlpReceiver: 54318,
  gatewayMetrics: 59460,
  productsMetrics: 59461,
  ordersMetrics: 59462,
  usersMetrics: 59463,
  cartMetrics: 59464,
  searchMetrics: 59465,
  prometheus: 59090,
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
