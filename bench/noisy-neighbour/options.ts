import { parseArgs } from 'node:util';

/** Settings of one benchmark run. */
export interface BenchOptions {
  readonly phaseSeconds: number;
  readonly rounds: number;
  readonly callersPerOperation: number;
  /** Closed-loop callers of each of orders' own reads (GetOrder, ListOrders). */
  readonly ordersCallers: number;
  /** Server connections the shared mode's PgBouncer gives the one role in all. */
  readonly poolSize: number;
  readonly users: number;
  readonly products: number;
  readonly orders: number;
  readonly reportingConnections: number;
  readonly pinCpus: boolean;
  readonly outDir: string;
}

/** Help text printed by --help. */
export const USAGE = `Noisy-neighbour benchmark: latency of users and products (and orders' own reads) while the orders
database is under attack, with a database per service and with users and orders sharing one database behind one
PgBouncer pool (installed with scripts/setup.sh --with pgbouncer when missing).

Usage: node --import tsx bench/noisy-neighbour.ts [options]

  --quick                   one round of short phases and a smaller orders table
  --rounds <n>              times every phase is measured, modes and phases interleaved (default 4, quick 1)
  --phase-seconds <n>       load duration of each phase in each round (default 3)
  --callers <n>             closed-loop callers per measured operation (default 3, so 9 in all)
  --orders-callers <n>      closed-loop callers of orders.GetOrder and of orders.ListOrders (default 3 each)
  --pool-size <n>           server connections of the shared mode's PgBouncer pool (default 10)
  --users <n>               users created through the users API (default 2000)
  --products <n>            products created through the products API (default 500)
  --orders <n>              orders rows inserted with generate_series (default 600000, quick 100000)
  --reporting-connections <n>  connections running the reporting query (default 8: most of the shared pool)
  --no-pin                  do not pin the orders PostgreSQL cluster to its own CPU
  --out-dir <dir>           where the table, chart and raw results go (default bench/results)
  -h, --help                show this help
`;

function positive(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return parsed;
}

/** Parses the command line; returns 'help' when --help was given. */
export function parseBenchOptions(args: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      'phase-seconds': { type: 'string' },
      rounds: { type: 'string' },
      callers: { type: 'string', default: '3' },
      'orders-callers': { type: 'string', default: '3' },
      'pool-size': { type: 'string', default: '10' },
      users: { type: 'string', default: '2000' },
      products: { type: 'string', default: '500' },
      orders: { type: 'string' },
      'reporting-connections': { type: 'string', default: '8' },
      'no-pin': { type: 'boolean', default: false },
      'out-dir': { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  return {
    phaseSeconds: positive('phase-seconds', values['phase-seconds'] ?? '3'),
    rounds: positive('rounds', values.rounds ?? (values.quick ? '1' : '4')),
    callersPerOperation: positive('callers', values.callers),
    ordersCallers: positive('orders-callers', values['orders-callers']),
    poolSize: positive('pool-size', values['pool-size']),
    users: positive('users', values.users),
    products: positive('products', values.products),
    orders: positive('orders', values.orders ?? (values.quick ? '100000' : '600000')),
    reportingConnections: positive('reporting-connections', values['reporting-connections']),
    pinCpus: !values['no-pin'],
    outDir: values['out-dir'],
  };
}
