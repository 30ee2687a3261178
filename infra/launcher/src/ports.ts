import { serviceNames, systemMap, type ServiceName } from '@shop/system-map';

/** The services with a port of their own key; the gateway's gRPC port is `gatewayGrpc`. */
type InternalService = Exclude<ServiceName, 'gateway'>;

/** Every port the local system listens on: each service's (from the system map), then the stores'. */
export type SystemPorts = { readonly [name in InternalService]: number } & {
  readonly gatewayGrpc: number;
  readonly gatewayHttp: number;
  readonly ordersPrimary: number;
  readonly ordersReplica: number;
  readonly usersDatabase: number;
  readonly redis: number;
  readonly nats: number;
  readonly mongo: number;
  readonly elasticsearch: number;
  /** The local OTLP/HTTP receiver of traces. */
  readonly otlpReceiver: number;
  /** Prometheus, when installed (scripts/setup.sh --with prometheus). */
  readonly prometheus: number;
} & { readonly [name in ServiceName as `${name}Metrics`]: number };

const servicePorts = Object.fromEntries(serviceNames.filter((name) => name !== 'gateway').map((name) => [name, systemMap[name].port])) as Record<InternalService, number>;

/** Each service's Prometheus /metrics port: 29460 and up, in the map's order. */
const metricsPorts = Object.fromEntries(serviceNames.map((name, index) => [`${name}Metrics`, 29460 + index])) as { [name in ServiceName as `${name}Metrics`]: number };

/**
 * Fixed default ports (listed in the README), all below 32768 so none falls in Linux's ephemeral range (32768–60999):
 * the services' from the system map.
 */
export const DEFAULT_PORTS: SystemPorts = {
  gatewayGrpc: systemMap.gateway.port,
  gatewayHttp: systemMap.gateway.httpPort ?? 8080,
  ...servicePorts,
  ordersPrimary: 25432,
  ordersReplica: 25433,
  usersDatabase: 25434,
  redis: 26379,
  nats: 24222,
  mongo: 28017,
  elasticsearch: 29200,
  otlpReceiver: 24318,
  prometheus: 29090,
  ...metricsPorts,
};

/** The gRPC port of a service. */
export function servicePort(ports: SystemPorts, name: ServiceName): number {
  return name === 'gateway' ? ports.gatewayGrpc : ports[name];
}

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
