import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, createServiceClient } from '@shop/runtime';
import { ProductService } from '@shop/gen/product/v1/product_service_pb';
import { loadLauncherConfig, type LauncherConfig } from './config.js';
import { loadDemoData } from './demo-data.js';
import { mintDemoToken } from './demo-token.js';
import { persistentSecret } from './local-secrets.js';
import { endpointRows, formatTable, writeEndpointsFile } from './endpoints.js';
import { takeRunLock } from './run-lock.js';
import { systemPorts, type SystemPorts } from './ports.js';
import { serviceAddress, serviceEnvironments } from './service-env.js';
import { startServices } from './service-processes.js';
import { startSystemStores } from './stores.js';
import { tryCommands } from './try-commands.js';

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
    const stores = await startSystemStores(config, ports, log);
    cleanups.push(() => stores.stop());
    const jwtSecret = config.GATEWAY_JWT_SECRET ?? (await persistentSecret(join(config.dataDir, 'gateway-jwt-secret')));
    log('starting services…');
    const services = await startServices(serviceEnvironments(stores, ports, { jwtSecret, gatewayHost: config.SHOP_GATEWAY_HOST, logLevel: 'info', dataDir: config.dataDir }), ports, config.dataDir, log);
    cleanups.push(() => services.stop());
    const demoUserId = config.SHOP_DEMO_DATA === 'on' ? await loadDemoData(ports, log) : undefined;
    const demo = await demoCredentials(ports, demoUserId, jwtSecret);
    const rows = endpointRows(stores, ports);
    const commands = tryCommands(ports, demo);
    await writeEndpointsFile(endpointsFile(config), rows, commands, { ...(demoUserId ? { userId: demoUserId } : {}), ...(demo.token ? { token: demo.token } : {}) });
    log(`\n${formatTable(rows)}\n`);
    log('The MongoDB and Elasticsearch stand-ins are development and test infrastructure only; production uses the real servers.');
    log(`Endpoints as JSON: ${endpointsFile(config)}\nLogs: ${join(config.dataDir, 'logs')}\n\nTry:\n${commands.map((command) => `  ${command}`).join('\n\n')}\n`);
    log('Running. Press Ctrl-C to stop.');
  } catch (error) {
    await stop();
    throw error;
  }
}

async function demoCredentials(ports: SystemPorts, userId: string | undefined, jwtSecret: string): Promise<{ token?: string; productId?: string }> {
  if (!userId) return {};
  const products = createServiceClient(ProductService, { name: 'products', address: serviceAddress(ports, 'products') });
  const { products: page } = await products.listProducts({ categoryId: 'shoes', pageSize: 20 });
  const productId = page.find((product) => product.stock > 0)?.id;
  return { token: await mintDemoToken(userId, jwtSecret), ...(productId ? { productId } : {}) };
}

try {
  await runSystem(loadLauncherConfig());
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `npm start failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
}
