import { execFile } from 'node:child_process';
import { chown, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A uid/gid pair a child process runs as. */
export interface OsIdentity {
  uid: number;
  gid: number;
}

const POSTGRES_OS_USER = 'postgres';

async function lookUp(user: string): Promise<OsIdentity | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

async function createSystemUser(user: string): Promise<void> {
  const groupExists = await run('getent', ['group', user]).then(() => true, () => false);
  await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...(groupExists ? ['-g', user] : ['--user-group']), user]);
}

/** PostgreSQL refuses to run as root: as root, returns (creating it if needed) the 'postgres' system user; otherwise undefined (run as ourselves). */
export async function postgresIdentity(): Promise<OsIdentity | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp(POSTGRES_OS_USER);
  if (existing) return existing;
  await createSystemUser(POSTGRES_OS_USER);
  const created = await lookUp(POSTGRES_OS_USER);
  if (!created) throw new Error(`could not create the '${POSTGRES_OS_USER}' OS user PostgreSQL needs when started as root`);
  return created;
}

/** Hands the path to the identity, when there is one. */
export async function handOver(path: string, owner: OsIdentity | undefined): Promise<void> {
  if (owner) await chown(path, owner.uid, owner.gid);
}

/** Writes a private (0600) file owned by the identity. */
export async function writePrivateFile(path: string, content: string, owner: OsIdentity | undefined): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await handOver(path, owner);
}
