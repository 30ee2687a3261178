import pg from 'pg';

/** The conditions the orders database is put under, one per phase. */
export const PHASES = ['idle', 'reporting', 'table-lock', 'migration'] as const;

/** One phase of the benchmark. */
export type Phase = (typeof PHASES)[number];

/** What each phase does to the orders database, for the report. */
export const PHASE_DESCRIPTIONS: Record<Phase, string> = {
  idle: 'nothing: the baseline',
  reporting: 'N connections repeat an analytical query over orders (sequential scan, GROUP BY customer, sums and counts)',
  'table-lock': 'a transaction holds LOCK TABLE orders IN ACCESS EXCLUSIVE MODE while the reporting queries queue behind it',
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

/** An attack in progress; stop() cancels what still runs and says how much work it completed. */
export interface RunningAttack {
  stop(): Promise<string>;
}

interface Attacker {
  readonly client: pg.Client;
  readonly done: Promise<number>;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'noisy-neighbour' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Runs the statements again and again until stopped; resolves with the number of complete rounds. */
async function repeat(client: pg.Client, statements: readonly string[], stopped: () => boolean): Promise<number> {
  let rounds = 0;
  while (!stopped()) {
    try {
      for (const statement of statements) await client.query(statement);
      rounds += 1;
    } catch {
      if (!stopped()) throw new Error(`attack statement failed: ${statements.join('; ')}`);
    }
  }
  return rounds;
}

async function holdExclusiveLock(client: pg.Client, released: Promise<void>): Promise<number> {
  await client.query('BEGIN');
  await client.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
  await released;
  await client.query('ROLLBACK');
  return 1;
}

async function startAttackers(url: string, phase: Phase, reportingConnections: number, stopped: () => boolean, released: Promise<void>): Promise<Attacker[]> {
  const attackers: Attacker[] = [];
  if (phase === 'table-lock') {
    const client = await connect(url);
    attackers.push({ client, done: holdExclusiveLock(client, released) });
  }
  if (phase === 'reporting' || phase === 'table-lock') {
    for (let index = 0; index < reportingConnections; index += 1) {
      const client = await connect(url);
      attackers.push({ client, done: repeat(client, ['BEGIN', REPORTING_QUERY, 'COMMIT'], stopped) });
    }
  }
  if (phase === 'migration') {
    const client = await connect(url);
    attackers.push({ client, done: repeat(client, ['BEGIN', ...MIGRATION, 'ROLLBACK'], stopped) });
  }
  return attackers;
}

async function cancelBackends(url: string, attackers: readonly Attacker[]): Promise<void> {
  const control = await connect(url);
  try {
    const pids = attackers.map((attacker) => (attacker.client as unknown as { processID: number }).processID);
    await control.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  } finally {
    await control.end();
  }
}

/** Starts the phase's attack on the orders tables, connecting with the URL of the role that owns them. */
export async function startAttack(phase: Phase, ordersOwnerUrl: string, reportingConnections: number): Promise<RunningAttack> {
  let stopped = false;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const attackers = await startAttackers(ordersOwnerUrl, phase, reportingConnections, () => stopped, released);
  return {
    stop: async () => {
      stopped = true;
      release();
      await cancelBackends(ordersOwnerUrl, attackers.slice(phase === 'table-lock' ? 1 : 0));
      const rounds = await Promise.all(attackers.map((attacker) => attacker.done));
      await Promise.all(attackers.map((attacker) => attacker.client.end()));
      return describeWork(phase, rounds);
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
