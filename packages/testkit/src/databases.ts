import { randomBytes } from 'node:crypto';
import { createIsolatedDatabase, dropIsolatedDatabase } from '@shop/local-stack';

/** A private PostgreSQL database made for one test file, with its own owner role. */
export interface IsolatedDatabase {
  /** URL with the owner role's credentials. */
  readonly url: string;
  /** The same database on a replica, when one was given. */
  readonly replicaUrl?: string;
  drop(): Promise<void>;
}

/** Creates a fresh database and role on the cluster; with a replica admin URL, also returns the replica's URL to it. */
export async function isolatedPgDatabase(adminUrl: string, prefix: string, replicaAdminUrl?: string): Promise<IsolatedDatabase> {
  const url = await createIsolatedDatabase(adminUrl, prefix);
  return {
    url,
    ...(replicaAdminUrl ? { replicaUrl: onHostOf(url, replicaAdminUrl) } : {}),
    drop: () => dropIsolatedDatabase(adminUrl, url),
  };
}

function onHostOf(databaseUrl: string, otherServerUrl: string): string {
  const url = new URL(databaseUrl);
  const other = new URL(otherServerUrl);
  url.hostname = other.hostname;
  url.port = other.port;
  return url.toString();
}

/** A short unique name for test data: prefix plus random hex. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
