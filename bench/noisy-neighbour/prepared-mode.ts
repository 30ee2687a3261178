import { setTimeout as sleep } from 'node:timers/promises';
import { startAttack, type Phase } from './attacks.js';
import type { BenchStores } from './bench-stores.js';
import { benchClients, type BenchClients } from './clients.js';
import { runClosedLoop, type Operation, type OperationSamples } from './closed-loop.js';
import { startModeServices } from './mode-services.js';
import type { BenchOptions } from './options.js';
import { seedOrdersTable, seedThroughApis, type SeededIds } from './seed.js';
import { prepareTopology, type Mode } from './topologies.js';

/** A mode whose databases, services and data are ready to be measured. */
export interface PreparedMode {
  readonly mode: Mode;
  readonly description: string;
  readonly operations: Operation[];
  readonly ordersOwnerUrl: string;
  teardown(): Promise<void>;
}

/** The samples of one phase measured once, and what the attack got done meanwhile. */
export interface PhaseMeasurement {
  readonly samples: Map<string, OperationSamples>;
  readonly durationMs: number;
  readonly work: string;
}

const CALL_TIMEOUT_MS = 2_000;
const BATCH_SIZE = 50;
const ATTACK_SETTLE_MS = 1_000;
const WARM_UP_MS = 2_000;

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}

/** The calls the load makes: one user, a batch of users, one product, each with a 2 s deadline. */
export function loadOperations(clients: BenchClients, ids: SeededIds): Operation[] {
  const timeoutMs = CALL_TIMEOUT_MS;
  return [
    { name: 'users.GetUser', call: () => clients.users.getUser({ id: pick(ids.userIds) }, { timeoutMs }) },
    { name: 'users.BatchGetUsers', call: () => clients.users.batchGetUsers({ ids: Array.from({ length: BATCH_SIZE }, () => pick(ids.userIds)) }, { timeoutMs }) },
    { name: 'products.GetProduct', call: () => clients.products.getProduct({ id: pick(ids.productIds) }, { timeoutMs }) },
  ];
}

/** Creates the mode's databases, starts its services, seeds users, products and the orders table, and warms up. */
export async function prepareMode(mode: Mode, stores: BenchStores, options: BenchOptions, log: (line: string) => void): Promise<PreparedMode> {
  const topology = await prepareTopology(mode, stores.local);
  const services = await startModeServices(topology, stores).catch(async (error: unknown) => {
    await topology.drop();
    throw error;
  });
  const teardown = async () => {
    await services.stop();
    await topology.drop();
  };
  try {
    const clients = benchClients(services.users.address, services.products.address);
    log(`${mode}: seeding ${options.users} users, ${options.products} products, ${options.orders} orders`);
    const ids = await seedThroughApis(clients, options.users, options.products);
    await seedOrdersTable(topology.ordersOwnerUrl, options.orders);
    const operations = loadOperations(clients, ids);
    await runClosedLoop(operations, options.callersPerOperation, WARM_UP_MS);
    return { mode, description: topology.description, operations, ordersOwnerUrl: topology.ordersOwnerUrl, teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** Starts the phase's attack, lets it settle, runs the load for one phase length, then stops the attack. */
export async function measurePhase(prepared: PreparedMode, phase: Phase, options: BenchOptions): Promise<PhaseMeasurement> {
  const attack = await startAttack(phase, prepared.ordersOwnerUrl, options.reportingConnections);
  await sleep(ATTACK_SETTLE_MS);
  const durationMs = options.phaseSeconds * 1000;
  const samples = await runClosedLoop(prepared.operations, options.callersPerOperation, durationMs);
  const work = await attack.stop();
  await sleep(ATTACK_SETTLE_MS);
  return { samples, durationMs, work };
}
