import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEsStandin } from './index.js';
import type { UserConfig } from './security/users.js';

const usage = `es-standin — a development/test stand-in for Elasticsearch (NOT Elasticsearch).
Answers a subset of the Elasticsearch 9.x REST API for local development and tests.

Usage: node --import tsx infra/es-standin/src/cli.ts [--port 9200] [--host 127.0.0.1] --data-dir .data/es [--users-file users.json]

Options:
  --port <n>        TCP port to listen on (default 9200; 0 picks a free port)
  --host <address>  address to bind (default 127.0.0.1)
  --data-dir <dir>  folder where indices and documents are kept across restarts (required)
  --users-file <f>  JSON array of { "username", "password", "indices": ["products*"] }; turns on HTTP basic
                    authentication and per-index authorization (default: no authentication)
  --help            show this help`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9200' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'users-file': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
} else if (!values['data-dir']) {
  console.error(`--data-dir is required\n\n${usage}`);
  process.exitCode = 2;
} else {
  const usersFile = values['users-file'];
  const users = usersFile ? (JSON.parse(await readFile(usersFile, 'utf8')) as UserConfig[]) /* validated by startEsStandin */ : undefined;
  const standin = await startEsStandin({ port: Number(values.port), host: values.host, dataDir: values['data-dir'], users });
  const stop = () => {
    standin.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
