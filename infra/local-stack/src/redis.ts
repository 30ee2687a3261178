import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findExecutable } from './executables.js';
import { writePrivateFile } from './os-identity.js';
import { claimPort, LOOPBACK } from './ports.js';
import { loadSecrets, type StoreSecrets } from './secrets.js';
import { startProcess, type Supervision } from './restart-policy.js';
import { stopStaleInstance, type LogLine } from './supervisor.js';

const STORE = 'redis';
const ADMIN_USER = 'admin';
const CART_USER = 'cart_svc';

/** The running Redis with its cart and admin connection URLs. */
export interface RedisStore {
  port: number;
  cartUrl: string;
  adminUrl: string;
  stop(): Promise<void>;
}

/** Options for starting Redis. */
export interface StartRedisOptions {
  dataDir: string;
  port: number;
  log?: LogLine;
  /** Restart Redis when it exits unexpectedly, and report its state. */
  supervision?: Supervision;
}

function redisUrl(port: number, user: string, password: string): string {
  return `redis://${user}:${encodeURIComponent(password)}@${LOOPBACK}:${port}`;
}

function redisConfig(port: number, dir: string, secrets: StoreSecrets): string {
  return [
    `port ${port}`,
    `bind ${LOOPBACK}`,
    'protected-mode yes',
    'daemonize no',
    `dir "${dir}"`,
    `pidfile "${join(dir, 'redis.pid')}"`,
    'appendonly yes',
    'appendfsync everysec',
    // Redis 7.0 replays the AOF's transactions (every script's effects) as the default user: "off" keeps anyone from
    // logging in as it, the permissions keep the replay from dropping those writes with NOPERM on a restart.
    'user default off ~* &* +@all',
    `user ${ADMIN_USER} on >${secrets.redisAdmin} ~* &* +@all`,
    `user ${CART_USER} on >${secrets.redisCart} resetkeys ~cart:* resetchannels +@all -@dangerous +info`,
  ].join('\n');
}

/** Resolves once Redis answers PING for the URL. */
async function redisAnswers(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/** Starts redis-server with AOF persistence and ACL users (default off, admin, cart_svc limited to cart:* keys). */
export async function startRedis(options: StartRedisOptions): Promise<RedisStore> {
  const log = options.log ?? (() => undefined);
  const secrets = loadSecrets(options.dataDir);
  const dir = join(options.dataDir, 'redis');
  const logDir = join(options.dataDir, 'logs');
  await Promise.all([mkdir(dir, { recursive: true }), mkdir(logDir, { recursive: true })]);
  await stopStaleInstance(STORE, join(dir, 'redis.pid'), 'redis-server', 'SIGTERM', log);
  const port = await claimPort(options.port, STORE);
  const configFile = join(dir, 'redis.conf');
  await writePrivateFile(configFile, `${redisConfig(port, dir, secrets)}\n`, undefined);
  const adminUrl = redisUrl(port, ADMIN_USER, secrets.redisAdmin);
  const server = await startProcess(
    { name: STORE, command: findExecutable('redis-server', 'redis-server'), args: [configFile], stopSignal: 'TERM', logFile: join(logDir, 'redis.log') },
    { port, probe: () => redisAnswers(adminUrl) },
    options.supervision,
  );
  log(`${STORE}: ready on ${LOOPBACK}:${port}`);
  return { port, cartUrl: redisUrl(port, CART_USER, secrets.redisCart), adminUrl, stop: () => server.stop() };
}
