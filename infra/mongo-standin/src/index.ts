import { Authenticator } from './auth/authenticator.js';
import { UserDirectory, type UserSpec } from './auth/users.js';
import { Dispatcher } from './dispatcher.js';
import { STANDIN_LABEL } from './commands/handshake.js';
import { WireServer, type Logger } from './server.js';
import { SLOW_OPERATION_DEFAULTS, SlowOperationLog, type SlowOperationOptions } from './slow-operations.js';
import { Persistence } from './storage/persistence.js';
import { startTtlMonitor, TTL_MONITOR_INTERVAL_MS } from './ttl-monitor.js';

export { STANDIN_LABEL } from './commands/handshake.js';
export { readUsersFile, type UserSpec } from './auth/users.js';
export { SLOW_OPERATION_DEFAULTS, type SlowOperationOptions } from './slow-operations.js';

/** Options for starting the stand-in. */
export interface MongoStandinOptions {
  port?: number;
  host?: string;
  dataDir: string;
  log?: Logger;
  /** Journal size in bytes after which it is folded into a new snapshot (default 64 MiB). */
  compactAfterBytes?: number;
  /** When given, connections must authenticate (SCRAM-SHA-256) and each user reaches only its databases. */
  users?: UserSpec[];
  /** How often TTL indexes are swept (default 60 s, as MongoDB's TTL monitor). */
  ttlMonitorIntervalMs?: number;
  /** Which commands the log reports as slow or unanswered (default: answered after 100 ms, unanswered after 5 s). */
  slowOperations?: SlowOperationOptions;
}

/** A running stand-in server. */
export interface MongoStandin {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts the development/test MongoDB stand-in on the given port (0 picks a free one) with data under dataDir. */
export async function startMongoStandin(options: MongoStandinOptions): Promise<MongoStandin> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.log(line));
  const authenticator = new Authenticator(options.users ? new UserDirectory(options.users) : undefined);
  const persistence = await Persistence.open(options.dataDir, log, options.compactAfterBytes);
  const identity = { address: '', startedAt: new Date() };
  const operations = new SlowOperationLog(log, () => persistence.describeDurability(), options.slowOperations ?? SLOW_OPERATION_DEFAULTS);
  const server = new WireServer(new Dispatcher(persistence, identity, authenticator), log, operations);
  const port = await server.listen(options.port ?? 0, host);
  const stopTtlMonitor = startTtlMonitor(persistence, options.ttlMonitorIntervalMs ?? TTL_MONITOR_INTERVAL_MS, log);
  const address = `${advertisedHost(host)}:${port}`;
  identity.address = address;
  const access = options.users ? `authentication required (${options.users.length} users, SCRAM-SHA-256)` : 'no authentication';
  log(`${STANDIN_LABEL} — listening on ${address}, data in ${options.dataDir}, ${access}`);
  return {
    port,
    url: `mongodb://${address}/`,
    async close() {
      stopTtlMonitor();
      operations.close();
      await server.close();
      await persistence.close();
    },
  };
}

function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
