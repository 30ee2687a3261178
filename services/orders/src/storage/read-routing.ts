import type pg from 'pg';
import { isPgConnectionFailure } from '@shop/postgres';
import type { Logger } from '@shop/runtime';
import type { OrderPools } from './pools.js';

const replayedSql = `SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() >= $1::pg_lsn ELSE true END AS replayed`;

/**
 * Chooses the pool of a read: the replica when there is one and it has replayed the position the reader must see
 * (polled up to waitMs), otherwise the primary. A read with no position to wait for goes straight to the replica.
 */
export class ReadRouting {
  constructor(
    private readonly pools: OrderPools,
    private readonly waitMs: number,
    private readonly logger: Logger,
  ) {}

  /** Runs the read on the chosen pool; falls back to the primary when the replica fails. */
  async read<T>(afterLsn: string | undefined, run: (db: pg.Pool) => Promise<T>): Promise<T> {
    const { replica, primary } = this.pools;
    if (!replica) return run(primary);
    try {
      if (afterLsn && !(await this.replicaReaches(replica, afterLsn))) return await run(primary);
      return await run(replica);
    } catch (error) {
      if (!isPgConnectionFailure(error)) throw error;
      this.logger.warn({ err: error }, 'replica read failed; reading the primary');
      return run(primary);
    }
  }

  private async replicaReaches(replica: pg.Pool, lsn: string): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const { rows } = await replica.query<{ replayed: boolean }>(replayedSql, [lsn]);
      if (rows[0]?.replayed) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
