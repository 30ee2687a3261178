import { fileURLToPath } from 'node:url';
import { mkdir, writeFile } from 'node:fs/promises';
import { claimPort, startProcess, type Supervision, type SupervisedProcess } from '@shop/local-stack';
import { compileCacheEnvironment, LOCAL_NODE_FLAGS } from './node-flags.js';

/** What the stand-in is and how to run it. */
export interface StandinProcessOptions {
  /** The workspace package of the stand-in, whose compiled dist/cli.js is run: "@shop/mongo-standin". */
  readonly packageName: string;
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  /** Written, private to the user, to a file handed to --users-file. */
  readonly users: readonly object[];
  readonly usersFile: string;
  readonly supervision?: Supervision;
  /** V8 flags of its Node process; LOCAL_NODE_FLAGS unless given. */
  readonly nodeFlags?: readonly string[];
}

/** Runs a stand-in's command line as its own process (so it can crash, and be restarted, on its own), ready once it accepts connections. */
export async function startStandinProcess(options: StandinProcessOptions): Promise<SupervisedProcess> {
  await claimPort(options.port, options.name);
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(options.usersFile, JSON.stringify(options.users), { mode: 0o600 });
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.resolve(options.packageName)));
  return startProcess(
    {
      name: options.name,
      command: process.execPath,
      args: [...(options.nodeFlags ?? LOCAL_NODE_FLAGS), '--enable-source-maps', cli, '--port', String(options.port), '--host', '127.0.0.1', '--data-dir', options.dataDir, '--users-file', options.usersFile],
      stopSignal: 'TERM',
      logFile: options.logFile,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...compileCacheEnvironment() },
    },
    { port: options.port, probe: async () => undefined },
    options.supervision,
  );
}
