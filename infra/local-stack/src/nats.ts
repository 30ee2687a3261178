import { createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { busUsers, natsPasswordVariable, natsUserOf, type ServiceName } from '@shop/system-map';
import { findExecutable } from './executables.js';
import { NATS_ADMIN_PASSWORD_VARIABLE, NATS_ADMIN_USER, renderNatsAuthorization } from './nats-config.js';
import { claimPort, LOOPBACK } from './ports.js';
import { startProcess, type Supervision } from './restart-policy.js';
import { loadSecrets } from './secrets.js';
import { stopStaleInstance, type LogLine } from './supervisor.js';

const STORE = 'nats';

/** The running NATS server with JetStream. */
export interface NatsStore {
  port: number;
  /** The admin user's URL (`nats://admin:<password>@…`): tools and tests; give services natsServiceUrl(url, name). */
  url: string;
  stop(): Promise<void>;
}

/** Options for starting NATS. */
export interface StartNatsOptions {
  dataDir: string;
  port: number;
  log?: LogLine;
  /** Restart NATS when it exits unexpectedly, and report its state. */
  supervision?: Supervision;
}

/** A service's local NATS password, derived from the admin password so that the admin URL is all a launcher needs. */
function servicePassword(adminPassword: string, name: ServiceName): string {
  return createHmac('sha256', adminPassword).update(`nats:${name}`).digest('base64url');
}

/** The admin URLs startNats returned in this process: only those have derived service users. */
const startedAdminUrls = new Set<string>();

/**
 * The URL a service connects to the local NATS with: its own user and password, from the admin URL startNats returned
 * in this process. Any other URL (an external NATS_URL) is returned unchanged.
 */
export function natsServiceUrl(adminUrl: string, name: ServiceName): string {
  if (!startedAdminUrls.has(adminUrl)) return adminUrl;
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(natsUserOf(name));
  url.password = servicePassword(decodeURIComponent(url.password), name);
  return url.toString().replace(/\/$/, '');
}

/** Every password of the generated configuration, by its variable. */
function localPasswords(adminPassword: string): Record<string, string> {
  const services = busUsers().map((name) => [natsPasswordVariable(name), servicePassword(adminPassword, name)]);
  return { [NATS_ADMIN_PASSWORD_VARIABLE]: adminPassword, ...Object.fromEntries(services) };
}

/** Resolves once the server accepts the admin user and reports JetStream account information. */
async function jetStreamAnswers(port: number, adminPassword: string): Promise<void> {
  const connection = await connect({ servers: `${LOOPBACK}:${port}`, user: NATS_ADMIN_USER, pass: adminPassword, reconnect: false, timeout: 2_000 });
  try {
    const manager = await jetstreamManager(connection);
    await manager.getAccountInfo();
  } finally {
    await connection.close();
  }
}

/**
 * The admin URL startNats serves for this data folder and port, known before the server runs: a test can start a
 * service against a NATS that is still down, then start NATS.
 */
export function natsAdminUrl(dataDir: string, port: number): string {
  return `nats://${NATS_ADMIN_USER}:${loadSecrets(dataDir).natsAdmin}@${LOOPBACK}:${port}`;
}

/** Starts nats-server with JetStream file storage under the data folder, with a NATS user per service (renderNatsAuthorization). */
export async function startNats(options: StartNatsOptions): Promise<NatsStore> {
  const log = options.log ?? (() => undefined);
  const dir = join(options.dataDir, 'nats');
  const logDir = join(options.dataDir, 'logs');
  await Promise.all([mkdir(dir, { recursive: true }), mkdir(logDir, { recursive: true })]);
  const pidFile = join(dir, 'nats.pid');
  await stopStaleInstance(STORE, pidFile, 'nats-server', 'SIGTERM', log);
  const configFile = join(dir, 'nats-server.conf');
  const adminPassword = loadSecrets(options.dataDir).natsAdmin;
  const passwords = localPasswords(adminPassword);
  await writeFile(configFile, renderNatsAuthorization((variable) => JSON.stringify(passwords[variable])), { mode: 0o600 });
  const port = await claimPort(options.port, STORE);
  const url = natsAdminUrl(options.dataDir, port);
  const server = await startProcess(
    {
      name: STORE,
      command: findExecutable('nats-server', 'nats-server'),
      args: ['--config', configFile, '--addr', LOOPBACK, '--port', String(port), '--jetstream', '--store_dir', dir, '--pid', pidFile, '--server_name', 'local-stack'],
      stopSignal: 'TERM',
      logFile: join(logDir, 'nats.log'),
    },
    { port, probe: () => jetStreamAnswers(port, adminPassword) },
    options.supervision,
  );
  log(`${STORE}: JetStream ready on ${LOOPBACK}:${port}, one user per service`);
  startedAdminUrls.add(url);
  return {
    port,
    url,
    stop: async () => {
      startedAdminUrls.delete(url);
      await server.stop();
    },
  };
}
