import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FREE_STORE_PORTS, startLocalStores, type LocalStores } from '@shop/local-stack';
import { startMongoStandin, type MongoStandin } from '@shop/mongo-standin';
import { ordersCpu, otherCpus, pinProcessTree, postmasterPid } from './cpu-pinning.js';

/** The stores of one benchmark run, in a temporary folder, plus stop(). */
export interface BenchStores {
  readonly local: LocalStores;
  readonly mongo: MongoStandin;
  /** The run's temporary folder (removed by stop()), for anything else the run starts. */
  readonly dataDir: string;
  /** How CPUs were shared out, for the report. */
  readonly cpuNote: string;
  stop(): Promise<void>;
}

const ORDERS_CLUSTERS = ['orders-primary', 'orders-replica'];

async function pinOrdersClusters(storesDir: string): Promise<string> {
  const cpu = ordersCpu();
  if (cpu === undefined) return 'one CPU: nothing pinned, every process shares it';
  for (const cluster of ORDERS_CLUSTERS) {
    await pinProcessTree(await postmasterPid(join(storesDir, 'postgres', cluster)), String(cpu));
  }
  return `orders PostgreSQL clusters (primary and replica) pinned to CPU ${cpu}; everything else (users cluster, PgBouncer, Redis, NATS, Mongo stand-in, services, load) on CPU ${otherCpus()}`;
}

/** Starts PostgreSQL (orders primary and replica, users), Redis, NATS and the Mongo stand-in on free loopback ports. */
export async function startBenchStores(pinCpus: boolean): Promise<BenchStores> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-noisy-neighbour-'));
  await chmod(dataDir, 0o755);
  const storesDir = join(dataDir, 'stores');
  const quiet = () => undefined;
  if (pinCpus && ordersCpu() !== undefined) await pinProcessTree(process.pid, otherCpus());
  const local = await startLocalStores({ dataDir: storesDir, ports: FREE_STORE_PORTS });
  const mongo = await startMongoStandin({ port: 0, dataDir: join(dataDir, 'mongo'), log: quiet }).catch(async (error: unknown) => {
    await local.stop();
    throw error;
  });
  const cpuNote = pinCpus ? await pinOrdersClusters(storesDir) : 'not pinned (--no-pin): every process shares every CPU';
  return {
    local,
    mongo,
    dataDir,
    cpuNote,
    stop: async () => {
      await Promise.all([local.stop(), mongo.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
