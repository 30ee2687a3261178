import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, healthStatus } from '@shop/runtime';
import { loadLauncherConfig } from './config.js';
import { systemPorts, LOOPBACK, type SystemPorts } from './ports.js';
import { metricsPort } from './tracing/telemetry-env.js';
import { serviceFigures } from './supervision/service-metrics.js';
import { serviceNames, type ServiceName } from '@shop/system-map';
import { isAlive } from '@shop/local-stack';
import { formatColumns, storeProcessNames, storeReachable, type StatusRow } from './supervision/status-report.js';
import type { EndpointRow } from './endpoints.js';
import type { ProcessStatus } from './supervision/status-board.js';

interface EndpointsFile {
  endpoints: EndpointRow[];
  processes?: ProcessStatus[];
  pid: number;
}

const GRPC_ADDRESS = /^\d+\.\d+\.\d+\.\d+:\d+$/;

/** One row per service (and the event bus): its health, its process, its store's state; outbox backlog and lag when metrics exist. */
async function statusRows(file: EndpointsFile, ports: SystemPorts): Promise<StatusRow[]> {
  const processes = new Map((file.processes ?? []).map((entry) => [entry.name, entry]));
  const processOf = (name: string) => {
    const entry = processes.get(name);
    return entry ? `${entry.state}${entry.restarts ? ` (${entry.restarts} restarts)` : ''}` : 'not supervised';
  };
  return Promise.all(
    file.endpoints.map(async (row) => {
      const service = row.service.split(' ')[0]!;
      const isService = GRPC_ADDRESS.test(row.address) && row.service !== 'event bus';
      const health = isService ? await healthStatus(row.address).catch(() => 'UNREACHABLE') : '-';
      const storeProcesses = storeProcessNames(row.store);
      const figures = isService && (serviceNames as readonly string[]).includes(service)
        ? await serviceFigures(service as ServiceName, `http://${LOOPBACK}:${metricsPort(ports, service as ServiceName)}/metrics`)
        : { outboxBacklog: '-', consumerLag: '-' };
      const storeState = row.storeKind === '-' ? '-' : `${(await storeReachable(row.storeUrl)) ? 'reachable' : 'UNREACHABLE'}${storeProcesses.length ? `, ${storeProcesses.map((name) => `${name} ${processOf(name)}`).join(', ')}` : ''}`;
      return {
        service: row.service,
        health,
        process: isService ? processOf(service) : '-',
        store: row.store,
        storeState,
        ...figures,
      };
    }),
  );
}

/** Prints the running system's status; exits 1 when it is not running or something is not SERVING. */
async function main(): Promise<void> {
  const config = loadLauncherConfig();
  const path = join(config.dataDir, 'endpoints.json');
  if (!existsSync(path)) {
    process.stderr.write(`the system is not running (no ${path}); start it with npm start\n`);
    process.exit(1);
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as EndpointsFile;
  if (!isAlive(file.pid)) {
    process.stderr.write(`the launcher (pid ${file.pid}) that wrote ${path} is not running; start the system with npm start\n`);
    process.exit(1);
  }
  const rows = await statusRows(file, systemPorts(config.SHOP_PORT_OFFSET, config.SHOP_PORT_BASE));
  process.stdout.write(`${formatColumns(rows)}\n\n`);
  process.stdout.write('Outbox backlog: events written but not yet on the bus. Consumer lag: events of the streams a service reads that it has not acknowledged yet. Both from each service\'s own /metrics.\n');
  const unhealthy = rows.filter((row) => row.health !== '-' && row.health !== 'SERVING');
  process.exit(unhealthy.length === 0 ? 0 : 1);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `npm run status failed: ${String(error)}`}\n`);
  process.exit(1);
}
