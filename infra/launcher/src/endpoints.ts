import { rename, writeFile } from 'node:fs/promises';
import type { ProcessStatus } from './supervision/status-board.js';
import { alignedColumns } from './text-table.js';
import type { StoreEndpoint, SystemStores } from './stores.js';
import { LOOPBACK, type SystemPorts } from './ports.js';
import { serviceAddress, type ServiceName } from './service-env.js';

/** One row of the endpoint table. */
export interface EndpointRow {
  readonly service: string;
  readonly address: string;
  readonly store: string;
  readonly storeKind: string;
  readonly storeUrl: string;
}

/** A store URL without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

const row = (service: string, address: string, store?: StoreEndpoint): EndpointRow => ({
  service,
  address,
  store: store?.label ?? 'none (stateless)',
  storeKind: store?.kind ?? '-',
  storeUrl: store ? redact(store.url) : '-',
});

/** The endpoint table: every service with its address and its store, and the event bus. */
export function endpointRows(stores: SystemStores, ports: SystemPorts): EndpointRow[] {
  const at = (name: ServiceName) => serviceAddress(ports, name);
  return [
    row('gateway (gRPC)', at('gateway')),
    row('gateway (Connect, HTTP/JSON)', `http://${LOOPBACK}:${ports.gatewayHttp}`),
    row('products', at('products'), stores.productsMongo),
    row('orders', at('orders'), stores.ordersDatabase),
    ...(stores.ordersReplica ? [row('orders (reads)', at('orders'), stores.ordersReplica)] : []),
    row('users', at('users'), stores.usersDatabase),
    row('cart', at('cart'), stores.cartRedis),
    row('search', at('search'), stores.searchElasticsearch),
    row('analytics', at('analytics'), stores.analyticsDuckdb),
    row('event bus', redact(stores.nats.url), stores.nats),
  ];
}

/** The table as aligned text. */
export function formatTable(rows: readonly EndpointRow[]): string {
  const columns: Array<[keyof EndpointRow, string]> = [
    ['service', 'SERVICE'],
    ['address', 'ADDRESS'],
    ['store', 'STORE'],
    ['storeKind', 'KIND'],
    ['storeUrl', 'STORE URL'],
  ];
  return alignedColumns(columns, rows);
}

/** Writes the endpoint table, the commands to try and each supervised process's state as JSON, for scripts and tests. */
export async function writeEndpointsFile(path: string, rows: readonly EndpointRow[], commands: readonly string[], demo: Record<string, string>, processes: readonly ProcessStatus[] = []): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, `${JSON.stringify({ endpoints: rows, commands, demo, pid: process.pid, processes }, null, 2)}\n`);
  await rename(partial, path);
}
