import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, createServiceClient } from '@shop/runtime';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { loadLauncherConfig, type LauncherConfig } from './config.js';
import { loadDemoProducts, loadDemoUsers } from './demo-data.js';
import { mintDemoToken } from './demo-token.js';
import { persistentSecret } from './local-secrets.js';
import { endpointRows, formatTable, writeEndpointsFile } from './endpoints.js';
import { takeRunLock } from './run-lock.js';
import { systemPorts, type SystemPorts } from './ports.js';
import { serviceAddress, serviceEnvironment, type ServiceName } from './service-env.js';
import { startServices } from './service-processes.js';
import { beginSystemStores } from './stores.js';
import { StatusBoard } from './supervision/status-board.js';
import { tryCommands } from './try-commands.js';
import { startOtlpReceiver } from './tracing/otlp-receiver.js';
import { telemetryEnvironments, telemetrySummary, userOtlpEndpoint } from './tracing/telemetry-env.js';
import { startLocalPrometheus } from './tracing/local-prometheus.js';
import { LOOPBACK } from './ports.js';
import { consumersOf, systemMap } from '@shop/system-map';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The file the endpoint table is written to, as JSON. */
export function endpointsFile(config: LauncherConfig): string {
  return join(config.dataDir, 'endpoints.json');
}

/** Runs the whole system until SIGINT or SIGTERM, then stops everything it started. */
export async function runSystem(config: LauncherConfig): Promise<void> {
  await mkdir(join(config.dataDir, 'logs'), { recursive: true });
  const lock = await takeRunLock(join(config.dataDir, 'launcher.pid'));
  const removeEndpoints = () => rm(endpointsFile(config), { force: true });
  await removeEndpoints();
  const cleanups: Array<() => Promise<void>> = [() => lock.release(), removeEndpoints];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log('stopping…');
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`stop failed: ${String(error)}`));
      log('stopped');
    })());
  const onSignal = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log('starting stores…');
    const ports = systemPorts(config.SHOP_PORT_OFFSET, config.SHOP_PORT_BASE);
    const board = new StatusBoard(log);
    const starting = beginSystemStores(config, ports, log, board);
    cleanups.push(async () => (await starting.all.catch(() => undefined))?.stop());
    const jwtSecret = config.GATEWAY_JWT_SECRET ?? (await persistentSecret(join(config.dataDir, 'gateway-jwt-secret')));
    const userEndpoint = userOtlpEndpoint();
    const receiver = userEndpoint ? undefined : await startOtlpReceiver({ host: LOOPBACK, port: ports.otlpReceiver, dataDir: config.dataDir });
    if (receiver) cleanups.push(() => receiver.close());
    const telemetry = telemetryEnvironments(ports, receiver?.endpoint);
    const options = { jwtSecret, gatewayHost: config.SHOP_GATEWAY_HOST, logLevel: 'info', inherited: process.env };
    const environmentOf = async (name: ServiceName) => ({ ...serviceEnvironment(name, await starting.storesOf(name), ports, options), ...telemetry[name] });
    const owners = servingSignals(DEMO_DATA_WAITS_FOR);
    const demoData = settled(
      owners.allServing.then(() => (config.SHOP_DEMO_DATA === 'on' ? loadDemo(ports, jwtSecret, log) : { userId: undefined, credentials: {} })),
    );
    const storeFailed = new AbortController();
    starting.all.catch((error: unknown) => storeFailed.abort(error));
    const serviceOptions = { ports, dataDir: config.dataDir, log, supervision: board, onServing: owners.serving, signal: storeFailed.signal };
    const services = await startServices(environmentOf, serviceOptions);
    cleanups.push(() => services.stop());
    const stores = await starting.all;
    const prometheus = await startLocalPrometheus(ports, config.dataDir);
    if (prometheus) cleanups.push(() => prometheus.process.stop());
    const { userId: demoUserId, credentials: demo } = await outcome(demoData);
    const rows = endpointRows(stores, ports);
    const commands = tryCommands(ports, demo);
    const demoValues = { ...(demoUserId ? { userId: demoUserId } : {}), ...(demo.token ? { token: demo.token } : {}) };
    const writeEndpoints = () => writeEndpointsFile(endpointsFile(config), rows, commands, demoValues, board.statuses());
    await writeEndpoints();
    board.onChange(() => void (stopping ? undefined : writeEndpoints().catch((error: unknown) => log(`endpoints file not updated: ${String(error)}`))));
    log(`\n${formatTable(rows)}\n`);
    log('The MongoDB and Elasticsearch stand-ins are development and test infrastructure only; production uses the real servers.');
    log(`Endpoints as JSON: ${endpointsFile(config)}\nLogs: ${join(config.dataDir, 'logs')}\n`);
    const traces = { ...(receiver ? { receiver: receiver.endpoint, spansFile: receiver.spansFile } : {}), ...(userEndpoint ? { userEndpoint } : {}) };
    log(`${telemetrySummary(ports, traces, prometheus?.url).join('\n')}\n`);
    log(`Try:\n${commands.map((command) => `  ${command}`).join('\n\n')}\n`);
    log('Running; every store and service is restarted when it crashes (npm run status shows their health). Press Ctrl-C to stop.');
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The services whose APIs the demo data is loaded (and its token made) through. */
const DEMO_DATA_OWNERS: readonly ServiceName[] = ['products', 'users'];

/**
 * The services the demo data waits for: its owners, and the consumers of their events (so search indexes the demo
 * products from its stream instead of rebuilding its index on start and indexing them twice); the rest start meanwhile.
 */
const DEMO_DATA_WAITS_FOR: readonly ServiceName[] = [
  ...new Set(DEMO_DATA_OWNERS.flatMap((owner) => [owner, ...systemMap[owner].publishes.flatMap((event) => consumersOf(owner, event))])),
];

/** A promise that resolves once every named service reported SERVING, and the callback that reports one. */
function servingSignals(names: readonly ServiceName[]): { allServing: Promise<void>; serving: (name: ServiceName) => void } {
  const waiting = new Set(names);
  let resolve!: () => void;
  const allServing = new Promise<void>((done) => (resolve = done));
  return {
    allServing,
    serving: (name) => {
      if (waiting.delete(name) && waiting.size === 0) resolve();
    },
  };
}

type Settled<T> = { value: T } | { error: unknown };

/** The promise's outcome as a value, so a failure is reported where it is awaited rather than as an unhandled rejection. */
function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

async function outcome<T>(result: Promise<Settled<T>>): Promise<T> {
  const done = await result;
  if ('error' in done) throw done.error;
  return done.value;
}

/**
 * Loads the demo products and users at once, and mints the demo user's token as soon as the users are there; the
 * product the try commands name is the first in stock among the shoes.
 */
async function loadDemo(ports: SystemPorts, jwtSecret: string, log: (line: string) => void): Promise<{ userId: string | undefined; credentials: { token?: string; productId?: string } }> {
  const userAndToken = loadDemoUsers(ports, log).then(async (userId) => ({ userId, token: userId ? await mintDemoToken(userId, jwtSecret) : undefined }));
  const [{ userId, token }] = await Promise.all([userAndToken, loadDemoProducts(ports, log)]);
  if (!userId || !token) return { userId, credentials: {} };
  const products = createServiceClient(ProductService, { name: 'products', address: serviceAddress(ports, 'products') });
  const { products: page } = await products.listProducts({ categoryId: 'shoes', pageSize: 20 });
  const productId = page.find((product) => product.stock > 0)?.id;
  return { userId, credentials: { token, ...(productId ? { productId } : {}) } };
}

try {
  await runSystem(loadLauncherConfig());
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `npm start failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
}
