import { statementToSend, type ConnectionPool } from '@shop/postgres';

const noop = () => undefined;
const currentLsn = { name: 'orders-wal-position', text: 'SELECT pg_current_wal_insert_lsn()::text AS lsn', values: [] };

/**
 * The primary's WAL insert position, read once for many writers: a caller gets a position read after its call began,
 * so it covers every commit that caller finished before asking. Callers asking while a read is under way share the
 * next one, so concurrent commits cost one query instead of one each.
 */
export class WalPosition {
  private running: Promise<string> | undefined;
  private queued: Promise<string> | undefined;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly named: boolean,
  ) {}

  /** A WAL position at least as late as every commit finished before this call. */
  afterCommits(): Promise<string> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<string> {
    const read = this.read();
    this.running = read;
    void read.then(noop, noop).then(() => {
      if (this.running === read) this.running = undefined;
    });
    return read;
  }

  private async read(): Promise<string> {
    const { rows } = await this.pool.query<{ lsn: string }>(statementToSend(currentLsn, this.named));
    return rows[0]!.lsn;
  }
}
