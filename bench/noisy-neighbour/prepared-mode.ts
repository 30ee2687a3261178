import { setTimeout as sleep } from 'node:timers/promises';
import { startAttack, type Phase } from './attacks.js';
import type { BenchStores } from './bench-stores.js';
import { benchClients, type BenchClients } from './clients.js';
import { runClosedLoop, type Operation, type OperationSamples } from '../support/closed-loop.js';
import { startModeServices } from './mode-services.js';
import type { BenchOptions } from './options.js';
import { seedOrdersTable, seedThroughApis, type SeededIds, type SeededOrders } from './seed.js';
import { endStraySessionLocks } from './stray-session-locks.js';
import { prepareTopology, type Mode } from './topologies.js';

/** A mode whose databases, services and data are ready to be measured. */
export interface PreparedMode {
  readonly mode: Mode;
  readonly description: string;
  readonly operations: Operation[];
  readonly attackUrl: string;
  teardown(): Promise<void>;
}

/** The samples of one phase measured once, and what the attack got done meanwhile. */
export interface PhaseMeasurement {
  readonly samples: Map<string, OperationSamples>;
  readonly durationMs: number;
  readonly work: string;
}

/** Deadline of every call the load makes. */
export const CALL_TIMEOUT_MS = 2_000;
const BATCH_SIZE = 50;
const ORDERS_PAGE_SIZE = 20;
const ATTACK_SETTLE_MS = 1_000;
const WARM_UP_MS = 2_000;

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}

/**
 * The calls the load makes, each with a 2 s deadline: the measured ones (one user, a batch of users, one product as
 * the control) with `callers` callers each, and orders' own reads (one order, a customer's newest page) with
 * `ordersCallers` each, which queue behind whatever holds the orders table.
 */
export function loadOperations(clients: BenchClients, ids: SeededIds & SeededOrders, callers: number, ordersCallers: number): Operation[] {
  const timeoutMs = CALL_TIMEOUT_MS;
  return [
    { name: 'users.GetUser', callers, call: () => clients.users.getUser({ id: pick(ids.userIds) }, { timeoutMs }) },
    { name: 'users.BatchGetUsers', callers, call: () => clients.users.batchGetUsers({ ids: Array.from({ length: BATCH_SIZE }, () => pick(ids.userIds)) }, { timeoutMs }) },
    { name: 'products.GetProduct', callers, call: () => clients.products.getProduct({ id: pick(ids.productIds) }, { timeoutMs }) },
    { name: 'orders.GetOrder', callers: ordersCallers, call: () => clients.orders.getOrder({ id: pick(ids.orderIds) }, { timeoutMs }) },
    { name: 'orders.ListOrders', callers: ordersCallers, call: () => clients.orders.listOrders({ customerId: pick(ids.customerIds), pageSize: ORDERS_PAGE_SIZE }, { timeoutMs }) },
  ];
}

/** Creates the mode's databases, starts its services, seeds users, products and the orders table, and warms up. */
export async function prepareMode(mode: Mode, stores: BenchStores, options: BenchOptions, log: (line: string) => void): Promise<PreparedMode> {
  const topology = await prepareTopology(mode, stores.local, { dir: stores.dataDir, serverConnections: options.poolSize });
  const services = await startModeServices(topology, stores).catch(async (error: unknown) => {
    await topology.drop();
    throw error;
  });
  const teardown = async () => {
    await services.stop();
    await topology.drop();
  };
  try {
    const stray = await endStraySessionLocks(topology.ordersOwnerUrl);
    if (stray > 0) log(`${mode}: ended ${stray} pooled server connection(s) still holding users' migration lock`);
    const clients = benchClients({ users: services.users.address, products: services.products.address, orders: services.orders.address });
    log(`${mode}: seeding ${options.users} users, ${options.products} products, ${options.orders} orders`);
    const ids = await seedThroughApis(clients, options.users, options.products);
    const orders = await seedOrdersTable(topology.ordersOwnerUrl, options.orders);
    const operations = loadOperations(clients, { ...ids, ...orders }, options.callersPerOperation, options.ordersCallers);
    await runClosedLoop(operations, WARM_UP_MS);
    return { mode, description: topology.description, operations, attackUrl: topology.attackUrl, teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

/**
 * Starts the phase's attack (bounded to end with the load), lets it settle, runs the load for one phase length,
 * waits for the attack to end, and lets queued work drain before the next phase.
 */
export async function measurePhase(prepared: PreparedMode, phase: Phase, options: BenchOptions): Promise<PhaseMeasurement> {
  const durationMs = options.phaseSeconds * 1000;
  const attack = await startAttack(phase, prepared.attackUrl, options.reportingConnections, performance.now() + ATTACK_SETTLE_MS + durationMs);
  await sleep(ATTACK_SETTLE_MS);
  const samples = await runClosedLoop(prepared.operations, durationMs);
  const work = await attack.stop();
  await sleep(ATTACK_SETTLE_MS);
  return { samples, durationMs, work };
}
