import { execFile } from 'node:child_process';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writePrivateFile } from './os-identity.js';
import { withPgClient } from './pg-client.js';
import type { ClusterLocation, RunningCluster } from './postgres-cluster.js';

const run = promisify(execFile);

const PRIMARY_ONLY_FILES = ['postmaster.pid', 'postmaster.opts', 'local-stack.conf'];

async function copyDataFolder(primary: Pick<ClusterLocation, 'dir' | 'owner'>, target: string): Promise<void> {
  try {
    await run('cp', ['-a', primary.dir, target], { ...(primary.owner ?? {}) });
  } catch (error) {
    throw new Error(`copying ${primary.dir} for the standby failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

/**
 * Makes the standby's data folder from a cold copy of the primary's, taken while the primary is shut down (right after
 * initdb): a consistent base backup with nothing to wait for, so both clusters can start at once; the standby then
 * streams everything the primary writes from that point.
 */
export async function copyAsStandby(primary: ClusterLocation, standby: ClusterLocation): Promise<void> {
  const partial = `${standby.dir}.partial`;
  await Promise.all([rm(partial, { recursive: true, force: true }), rm(standby.dir, { recursive: true, force: true })]);
  await copyDataFolder(primary, partial);
  await removePrimaryState(partial);
  await writePrivateFile(join(partial, 'standby.signal'), '', standby.owner);
  await rename(partial, standby.dir);
}

async function removePrimaryState(target: string): Promise<void> {
  await Promise.all(PRIMARY_ONLY_FILES.map((file) => rm(join(target, file), { force: true })));
  const slots = await readdir(join(target, 'pg_replslot'));
  await Promise.all(slots.map((slot) => rm(join(target, 'pg_replslot', slot), { recursive: true, force: true })));
}

/**
 * Makes the standby's data folder from an online base backup of the running primary
 * (pg_backup_start, file copy, pg_backup_stop, backup_label), then marks it a standby: for a primary that already
 * holds data when the standby's folder is missing.
 */
export async function cloneAsStandby(primary: RunningCluster, standby: ClusterLocation): Promise<void> {
  const partial = `${standby.dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await withPgClient(primary.adminUrl, async (client) => {
    await client.query('SELECT pg_backup_start($1, true)', [`${standby.name} base backup`]);
    let labelFile: string;
    try {
      await copyDataFolder(primary, partial);
    } finally {
      const stopped = await client.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
      labelFile = stopped.rows[0]?.labelfile ?? '';
    }
    await removePrimaryState(partial);
    await writePrivateFile(join(partial, 'backup_label'), labelFile, standby.owner);
    await writePrivateFile(join(partial, 'standby.signal'), '', standby.owner);
  });
  await rename(partial, standby.dir);
}
