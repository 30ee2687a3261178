import { parseArgs } from 'node:util';
import { readUsersFile, SLOW_OPERATION_DEFAULTS, startMongoStandin, STANDIN_LABEL, type SlowOperationOptions, type UserSpec } from './index.js';

const HELP = `${STANDIN_LABEL}

Usage: node --import tsx infra/mongo-standin/src/cli.ts [--port 27017] [--host 127.0.0.1] --data-dir .data/mongo [--users-file users.json] [--slowms 100]

For local development and tests only. It is NOT MongoDB: it answers the subset of commands the
official Node.js driver sends, evaluates queries with mingo and keeps data in a journal under --data-dir.

Options:
  --port <n>        TCP port to listen on (0 picks a free port; default 27017)
  --host <address>  interface to bind (default 127.0.0.1)
  --data-dir <dir>  folder for the snapshot and journal (required)
  --users-file <f>  JSON array of { "username", "password", "authDb"?, "roles"?: [{ "role", "db" }], "databases"?: [...] };
                    roles are MongoDB's built-in ones (read, readWrite, dbAdmin, userAdmin, dbOwner, the
                    *AnyDatabase roles, root); "databases" is shorthand for readWrite on each ("*" = all).
                    When given, clients must authenticate with SCRAM-SHA-256 and each command needs its privileges
  --slowms <n>      log each command answered after at least n ms, as mongod's slow query log (default 100);
                    a command still unanswered after 5 s is logged while it runs, with the journal's state
  -h, --help        show this help
`;

function parseCommandLine(): { port: number; host: string; dataDir: string; users?: UserSpec[]; slowOperations: SlowOperationOptions } | 'help' {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'users-file': { type: 'string' },
      slowms: { type: 'string', default: String(SLOW_OPERATION_DEFAULTS.slowMs) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  if (!values['data-dir']) throw new Error('--data-dir is required');
  const slowMs = Number(values.slowms);
  if (!Number.isInteger(slowMs) || slowMs < 0) throw new Error(`--slowms must be a whole number of milliseconds, got ${values.slowms}`);
  const users = values['users-file'] ? readUsersFile(values['users-file']) : undefined;
  return { port, host: values.host, dataDir: values['data-dir'], users, slowOperations: { ...SLOW_OPERATION_DEFAULTS, slowMs } };
}

/** Parses the command line and runs the stand-in until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let settings: ReturnType<typeof parseCommandLine>;
  try {
    settings = parseCommandLine();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (settings === 'help') return void process.stdout.write(HELP);
  const starting = startMongoStandin(settings);
  const stop = (): void =>
    void starting
      .then((standin) => standin.close())
      .finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await starting;
}

await main();
