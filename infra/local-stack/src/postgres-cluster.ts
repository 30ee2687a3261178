import { execFile } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { handOver, postgresIdentity, writePrivateFile, type OsIdentity } from './os-identity.js';
import { pgAnswers, postgresUrl } from './pg-client.js';
import { postgresBinaries } from './postgres-binaries.js';
import { clusterTemplate, copyTemplate, LOCAL_CLUSTER_SETTINGS, POSTGRES_SUPERUSER, quoteLiteral, runInitdb, runSingleUser, SETTINGS_FILE } from './postgres-template.js';
import { claimPort, LOOPBACK } from './ports.js';
import { startProcess, type Supervision } from './restart-policy.js';
import { stopStaleInstance, type LogLine } from './supervisor.js';

const run = promisify(execFile);

/** Where a cluster lives on disk and who owns it. */
export interface ClusterLocation {
  name: string;
  dir: string;
  logFile: string;
  owner: OsIdentity | undefined;
}

/** A running PostgreSQL cluster. */
export interface RunningCluster {
  name: string;
  port: number;
  dir: string;
  owner: OsIdentity | undefined;
  adminUrl: string;
  stop(): Promise<void>;
}

/** Options for starting one cluster. */
export interface StartClusterOptions {
  port: number;
  adminPassword: string;
  settings?: Record<string, string>;
  log: LogLine;
  /** Restart the cluster when it exits unexpectedly, and report its state. */
  supervision?: Supervision;
}

async function assertReachable(dir: string, owner: OsIdentity): Promise<void> {
  try {
    await run('test', ['-w', dir], { ...owner });
  } catch {
    throw new Error(`PostgreSQL runs as OS user uid ${owner.uid}, which cannot reach ${dir}: make its parent folders searchable (chmod o+x) or choose another data folder`);
  }
}

/** Prepares the data folder for a named cluster (owned by the PostgreSQL OS user) and returns its location. */
export async function locateCluster(dataDir: string, name: string): Promise<ClusterLocation> {
  const owner = await postgresIdentity();
  const postgresRoot = join(dataDir, 'postgres');
  const logDir = join(dataDir, 'logs');
  await mkdir(postgresRoot, { recursive: true, mode: 0o700 });
  await mkdir(logDir, { recursive: true });
  if (owner) {
    await chmod(dataDir, ((await stat(dataDir)).mode & 0o7777) | 0o711);
    await handOver(postgresRoot, owner);
    await assertReachable(postgresRoot, owner);
  }
  return { name, dir: join(postgresRoot, name), logFile: join(logDir, `${name}.log`), owner };
}

/** True once initdb (or a base backup) has populated the cluster folder. */
export function isInitialised(location: ClusterLocation): boolean {
  return existsSync(join(location.dir, 'PG_VERSION'));
}

/**
 * Initialises the cluster folder: a copy of the shared template with its own superuser password, or initdb with
 * SCRAM authentication and that password where no template can be made; then runs the first statements (a service's
 * role and database, say) in single-user mode, so they hold from the moment the cluster first accepts connections.
 */
export async function initialiseCluster(location: ClusterLocation, adminPassword: string, firstStatements: readonly string[] = []): Promise<void> {
  const template = await clusterTemplate(location.owner);
  try {
    if (template) await copyTemplate(template, location.dir, adminPassword, location.owner, firstStatements);
    else {
      await runInitdb(location.dir, adminPassword, location.owner);
      if (firstStatements.length > 0) await runSingleUser(location.dir, firstStatements, location.owner, 'making the first roles and databases');
    }
  } catch (error) {
    throw new Error(`${location.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function writeSettings(location: ClusterLocation, port: number, settings: Record<string, string>): Promise<void> {
  const all = { port: String(port), listen_addresses: LOOPBACK, unix_socket_directories: '', ...LOCAL_CLUSTER_SETTINGS, ...settings };
  const lines = Object.entries(all).map(([key, value]) => `${key} = ${quoteLiteral(value)}`);
  await writePrivateFile(join(location.dir, SETTINGS_FILE), `${lines.join('\n')}\n`, location.owner);
}

/** Starts an initialised cluster on the port (0 picks a free one) and waits until it answers SELECT 1. */
export async function startCluster(location: ClusterLocation, options: StartClusterOptions): Promise<RunningCluster> {
  const { postgres } = await postgresBinaries();
  await stopStaleInstance(location.name, join(location.dir, 'postmaster.pid'), 'postgres', 'SIGINT', options.log);
  const port = await claimPort(options.port, location.name);
  await writeSettings(location, port, options.settings ?? {});
  const adminUrl = postgresUrl(port, POSTGRES_SUPERUSER, options.adminPassword, 'postgres');
  const server = await startProcess(
    { name: location.name, command: postgres, args: ['-D', location.dir], stopSignal: 'INT', logFile: location.logFile, runAs: location.owner },
    { port, probe: () => pgAnswers(adminUrl) },
    options.supervision,
  );
  options.log(`${location.name}: PostgreSQL ready on ${LOOPBACK}:${port}`);
  return { name: location.name, port, dir: location.dir, owner: location.owner, adminUrl, stop: () => server.stop() };
}

/** Prepares, initialises when needed (with the first statements, see initialiseCluster), and starts a cluster. */
export async function startInitialisedCluster(dataDir: string, name: string, options: StartClusterOptions, firstStatements: readonly string[] = []): Promise<RunningCluster> {
  const location = await locateCluster(dataDir, name);
  if (!isInitialised(location)) await initialiseCluster(location, options.adminPassword, firstStatements);
  return startCluster(location, options);
}
