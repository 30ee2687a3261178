import pg from 'pg';

/** The conditions the orders database is put under, one per phase. */
export const PHASES = ['idle', 'reporting', 'table-lock', 'migration'] as const;

/** One phase of the benchmark. */
export type Phase = (typeof PHASES)[number];

/** What each phase does to the orders database, for the report. */
export const PHASE_DESCRIPTIONS: Record<Phase, string> = {
  idle: 'nothing: the baseline',
  reporting: 'N connections repeat an analytical query over orders (sequential scan, GROUP BY customer, sums and counts)',
  'table-lock': 'a transaction holds LOCK TABLE orders IN ACCESS EXCLUSIVE MODE for the whole phase while the reporting queries (and orders\' own reads) queue behind it',
  migration: 'a schema change repeated on orders: ALTER TABLE ADD COLUMN with a volatile DEFAULT (table rewrite) and CREATE INDEX without CONCURRENTLY, in one transaction, rolled back so each repetition starts from the same table',
};

const REPORTING_QUERY = `
SELECT customer_id, count(*) AS orders, sum(total_minor) AS spent, max(created_at) AS latest
FROM orders WHERE status = 'CONFIRMED'
GROUP BY customer_id ORDER BY spent DESC LIMIT 20`;

const MIGRATION = [
  'ALTER TABLE orders ADD COLUMN bench_migrated_at timestamptz NOT NULL DEFAULT clock_timestamp()',
  'CREATE INDEX bench_orders_by_total ON orders (total_minor)',
];

/** An attack in progress; stop() waits for it to end (by its deadline at the latest) and says how much work it completed. */
export interface RunningAttack {
  stop(): Promise<string>;
}

/** The moment (performance.now() ms) every attack statement must have ended by, and whether stop() was called. */
interface Deadline {
  readonly endsAt: number;
  stopped(): boolean;
}

const MIN_TIMEOUT_MS = 1;

const remainingMs = (deadline: Deadline) => Math.max(MIN_TIMEOUT_MS, Math.floor(deadline.endsAt - performance.now()));
const isOver = (deadline: Deadline) => deadline.stopped() || performance.now() >= deadline.endsAt;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'noisy-neighbour' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Opens a transaction whose statements and lock waits cannot outlast the deadline. */
async function beginBounded(client: pg.Client, deadline: Deadline): Promise<void> {
  const timeoutMs = remainingMs(deadline);
  await client.query('BEGIN');
  await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
  await client.query(`SET LOCAL lock_timeout = ${timeoutMs}`);
}

/** Runs the statements in bounded transactions again and again until the deadline; resolves with the complete rounds. */
async function repeat(client: pg.Client, statements: readonly string[], end: 'COMMIT' | 'ROLLBACK', deadline: Deadline): Promise<number> {
  let rounds = 0;
  while (!isOver(deadline)) {
    try {
      await beginBounded(client, deadline);
      for (const statement of statements) await client.query(statement);
      await client.query(end);
      rounds += 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (!isOver(deadline)) throw new Error(`attack statement failed: ${statements.join('; ')}: ${String(error)}`);
    }
  }
  return rounds;
}

async function holdExclusiveLock(client: pg.Client, deadline: Deadline, released: Promise<void>): Promise<number> {
  await beginBounded(client, deadline);
  await client.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
  const timer = new Promise<void>((resolve) => setTimeout(resolve, remainingMs(deadline)).unref());
  await Promise.race([released, timer]);
  await client.query('ROLLBACK');
  return 1;
}

async function startAttackers(url: string, phase: Phase, reportingConnections: number, deadline: Deadline, released: Promise<void>): Promise<Array<Promise<number>>> {
  const work: Array<Promise<number>> = [];
  const attacker = async (body: (client: pg.Client) => Promise<number>) => {
    const client = await connect(url);
    const done = body(client).finally(() => client.end().catch(() => undefined));
    done.catch(() => undefined);
    work.push(done);
  };
  if (phase === 'table-lock') await attacker((client) => holdExclusiveLock(client, deadline, released));
  if (phase === 'reporting' || phase === 'table-lock') {
    for (let index = 0; index < reportingConnections; index += 1) await attacker((client) => repeat(client, [REPORTING_QUERY], 'COMMIT', deadline));
  }
  if (phase === 'migration') await attacker((client) => repeat(client, MIGRATION, 'ROLLBACK', deadline));
  return work;
}

/**
 * Starts the phase's attack on the orders tables, connecting with the URL of the role that owns them (through the
 * shared pool when there is one). Every statement
 * runs under statement_timeout and lock_timeout set to what is left until `endsAt` (performance.now() ms), and no
 * new one starts after it, so nothing of the attack outlives the phase; stop() ends the lock early.
 */
export async function startAttack(phase: Phase, ordersOwnerUrl: string, reportingConnections: number, endsAt: number): Promise<RunningAttack> {
  let stopped = false;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const deadline: Deadline = { endsAt, stopped: () => stopped };
  const work = await startAttackers(ordersOwnerUrl, phase, reportingConnections, deadline, released);
  return {
    stop: async () => {
      stopped = true;
      release();
      return describeWork(phase, await Promise.all(work));
    },
  };
}

const counted = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function describeWork(phase: Phase, rounds: number[]): string {
  const total = rounds.reduce((sum, count) => sum + count, 0);
  if (phase === 'reporting') return `${counted(total, 'reporting query', 'reporting queries')} completed`;
  if (phase === 'table-lock') return `lock held for the whole phase, ${counted(total - 1, 'reporting query', 'reporting queries')} completed`;
  if (phase === 'migration') return `${counted(total, 'migration', 'migrations')} completed`;
  return 'no attack';
}
