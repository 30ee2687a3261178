import type pg from 'pg';
import { registerGauge, type GaugeReading } from '@shop/runtime';
import type { OrderPools } from './pools.js';

/** Options of registerSagaGauges. */
export interface SagaGaugesOptions {
  /** How long one reading is reused between scrapes. */
  readonly cacheMs?: number;
}

const sagaStateQuery = 'SELECT status, saga_step, count(*)::int AS n FROM orders GROUP BY status, saga_step';
const replicaLagQuery = `SELECT
  CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
       ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS seconds,
  COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::float8 AS bytes`;

/**
 * Registers orders' gauges: orders by status and saga step (one GROUP BY on the primary) and, with a replica, its
 * replay lag in seconds and bytes. Each reading is cached for cacheMs, a store that does not answer shows no reading; returns the unregistering function.
 */
export function registerSagaGauges(pools: OrderPools, options: SagaGaugesOptions = {}): () => void {
  const cacheMs = options.cacheMs ?? 5000;
  const sagaStates = cached(cacheMs, () => readSagaStates(pools.primary), []);
  const unregister = [registerGauge('orders.saga.orders', { description: 'Orders by status and saga step', unit: '{order}' }, sagaStates)];
  const { replica } = pools;
  if (replica) {
    const lag = cached(cacheMs, () => readReplicaLag(replica), { seconds: [], bytes: [] });
    unregister.push(
      registerGauge('orders.replica.lag', { description: 'How far the replica replays behind the primary', unit: 's' }, async () => (await lag()).seconds),
      registerGauge('orders.replica.behind', { description: 'WAL bytes the replica received and has not replayed', unit: 'By' }, async () => (await lag()).bytes),
    );
  }
  return () => unregister.forEach((stop) => stop());
}

async function readSagaStates(primary: pg.Pool): Promise<readonly GaugeReading[]> {
  const { rows } = await primary.query<{ status: string; saga_step: string; n: number }>(sagaStateQuery);
  return rows.map((row) => ({ value: row.n, attributes: { status: row.status, saga_step: row.saga_step } }));
}

async function readReplicaLag(replica: pg.Pool): Promise<{ seconds: readonly GaugeReading[]; bytes: readonly GaugeReading[] }> {
  const { rows } = await replica.query<{ seconds: number; bytes: number }>(replicaLagQuery);
  const [row] = rows;
  return row ? { seconds: [{ value: row.seconds }], bytes: [{ value: row.bytes }] } : { seconds: [], bytes: [] };
}

function cached<T>(maxAgeMs: number, read: () => Promise<T>, unreadable: T): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || performance.now() - last.at > maxAgeMs) {
      const value = read().catch(() => {
        last = undefined;
        return unreadable;
      });
      last = { at: performance.now(), value };
    }
    return last.value;
  };
}
