import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { claimPort, logTail, supervise, waitUntilReady } from '@shop/local-stack';
import pg from 'pg';

const run = promisify(execFile);

const PGBOUNCER = '/usr/sbin/pgbouncer';
/** pgbouncer refuses to run as root; as root it runs as the OS user local-stack's PostgreSQL clusters run as. */
const UNPRIVILEGED_OS_USER = 'postgres';

/** One entry of pgbouncer's [databases] section: a name clients connect to, and what runs on each new server connection. */
export interface PooledDatabase {
  readonly alias: string;
  /** A statement run once on every new server connection of this entry (pgbouncer's connect_query). */
  readonly connectQuery?: string;
}

/** Settings of the pooler in front of one PostgreSQL database. */
export interface PgBouncerOptions {
  readonly dir: string;
  /** The database's URL with its owner role's credentials: the one role every pooled client logs in as. */
  readonly serverUrl: string;
  readonly databases: readonly PooledDatabase[];
  /** Server connections the role may hold in all, over every entry (max_user_connections). */
  readonly serverConnections: number;
}

/** A running pgbouncer: client URLs by alias, and stop(). */
export interface RunningPgBouncer {
  urlFor(alias: string): string;
  stop(): Promise<void>;
}

/** Installs pgbouncer through the project's setup script (`scripts/setup.sh --with pgbouncer`) unless it is there already. */
export async function ensurePgBouncerInstalled(log: (line: string) => void): Promise<void> {
  if (existsSync(PGBOUNCER)) return;
  log('pgbouncer is missing: running bash scripts/setup.sh --with pgbouncer');
  await run('bash', ['scripts/setup.sh', '--with', 'pgbouncer'], { maxBuffer: 16 * 1024 * 1024 });
  if (!existsSync(PGBOUNCER)) throw new Error(`scripts/setup.sh --with pgbouncer did not install ${PGBOUNCER}`);
}

async function unprivilegedIdentity(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', UNPRIVILEGED_OS_USER]), run('id', ['-g', UNPRIVILEGED_OS_USER])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

function iniFile(options: PgBouncerOptions, port: number, server: URL): string {
  const database = decodeURIComponent(server.pathname.slice(1));
  const entry = (pooled: PooledDatabase) =>
    `${pooled.alias} = host=${server.hostname} port=${server.port} dbname=${database}${pooled.connectQuery ? ` connect_query='${pooled.connectQuery}'` : ''}`;
  return [
    '[databases]',
    ...options.databases.map(entry),
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${join(options.dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${options.serverConnections}`,
    `max_user_connections = ${options.serverConnections}`,
    'reserve_pool_size = 0',
    'max_client_conn = 1000',
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

async function answers(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

/**
 * Starts pgbouncer in transaction pooling mode on a free loopback port, in front of the server URL's database, with a
 * generated ini and userlist (SCRAM, the role's own password) in options.dir. It stops with stop() or when this
 * process dies (local-stack's watchdog).
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<RunningPgBouncer> {
  const server = new URL(options.serverUrl);
  const role = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const port = await claimPort(0, 'pgbouncer');
  const identity = await unprivilegedIdentity();
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const iniPath = join(options.dir, 'pgbouncer.ini');
  const userlistPath = join(options.dir, 'userlist.txt');
  await writeFile(iniPath, iniFile(options, port, server), { mode: 0o600 });
  await writeFile(userlistPath, `${quoted(role)} ${quoted(password)}\n`, { mode: 0o600 });
  if (identity) {
    for (const path of [options.dir, iniPath, userlistPath]) await chown(path, identity.uid, identity.gid);
  }
  const urlFor = (alias: string) => {
    const client = new URL(options.serverUrl);
    client.port = String(port);
    client.pathname = `/${alias}`;
    return client.toString();
  };
  const logFile = join(options.dir, 'pgbouncer.log');
  const pooler = supervise({ name: 'pgbouncer', command: PGBOUNCER, args: [iniPath], stopSignal: 'TERM', logFile, ...(identity ? { runAs: identity } : {}) });
  await waitUntilReady(pooler, port, () => answers(urlFor(options.databases[0]!.alias)), 15_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${logTail(logFile)}`);
  });
  return { urlFor, stop: () => pooler.stop() };
}
