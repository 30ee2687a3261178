import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findExecutable } from './executables.js';
import { claimPort, LOOPBACK } from './ports.js';
import { startProcess, type Supervision } from './restart-policy.js';
import { stopStaleInstance, type LogLine } from './supervisor.js';

const STORE = 'nats';

/** The running NATS server with JetStream. */
export interface NatsStore {
  port: number;
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

/** Resolves once the server accepts a connection and reports JetStream account information. */
async function jetStreamAnswers(url: string): Promise<void> {
  const connection = await connect({ servers: url, reconnect: false, timeout: 2_000 });
  try {
    const manager = await jetstreamManager(connection);
    await manager.getAccountInfo();
  } finally {
    await connection.close();
  }
}

/** Starts nats-server with JetStream file storage under the data folder. */
export async function startNats(options: StartNatsOptions): Promise<NatsStore> {
  const log = options.log ?? (() => undefined);
  const dir = join(options.dataDir, 'nats');
  const logDir = join(options.dataDir, 'logs');
  await Promise.all([mkdir(dir, { recursive: true }), mkdir(logDir, { recursive: true })]);
  const pidFile = join(dir, 'nats.pid');
  await stopStaleInstance(STORE, pidFile, 'nats-server', 'SIGTERM', log);
  const port = await claimPort(options.port, STORE);
  const url = `nats://${LOOPBACK}:${port}`;
  const server = await startProcess(
    {
      name: STORE,
      command: findExecutable('nats-server', 'nats-server'),
      args: ['--addr', LOOPBACK, '--port', String(port), '--jetstream', '--store_dir', dir, '--pid', pidFile, '--server_name', 'local-stack'],
      stopSignal: 'TERM',
      logFile: join(logDir, 'nats.log'),
    },
    { port, probe: () => jetStreamAnswers(url) },
    options.supervision,
  );
  log(`${STORE}: JetStream ready on ${LOOPBACK}:${port}`);
  return { port, url, stop: () => server.stop() };
}
