import { alignedColumns } from '../text-table.js';
import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';
import { connect } from 'node:net';

/** One line of npm run status. */
export interface StatusRow {
  readonly service: string;
  readonly health: string;
  readonly process: string;
  readonly store: string;
  readonly storeState: string;
  readonly outboxBacklog: string;
  readonly consumerLag: string;
}

const STORE_PROCESSES: Array<[RegExp, string[]]> = [
  [/orders primary/, ['orders-primary']],
  [/orders streaming replica/, ['orders-replica']],
  [/users cluster/, ['users-postgres']],
  [/^Redis/, ['redis']],
  [/^NATS/, ['nats']],
  [/MongoDB wire stand-in/, ['mongo-standin']],
  [/Elasticsearch REST stand-in/, ['elasticsearch-standin']],
];

function fileUsable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The supervised processes behind a store, by its label in the endpoint table. */
export function storeProcessNames(label: string): string[] {
  return STORE_PROCESSES.find(([pattern]) => pattern.test(label))?.[1] ?? [];
}

/** Whether something accepts TCP connections at the store URL's host and port; for an embedded store's file, whether it can be read and written. */
export function storeReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  if (isAbsolute(url)) return Promise.resolve(fileUsable(url));
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname;
    port = Number(parsed.port);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** The rows as aligned columns under a header. */
export function formatColumns(rows: readonly StatusRow[]): string {
  const columns: Array<[keyof StatusRow, string]> = [
    ['service', 'SERVICE'],
    ['health', 'HEALTH'],
    ['process', 'PROCESS'],
    ['store', 'STORE'],
    ['storeState', 'STORE STATE'],
    ['outboxBacklog', 'OUTBOX BACKLOG'],
    ['consumerLag', 'CONSUMER LAG'],
  ];
  return alignedColumns(columns, rows);
}
