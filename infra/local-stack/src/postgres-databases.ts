import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withPgClient } from './pg-client.js';
import { generatePassword } from './secrets.js';

/** A database owned by a login role that alone (besides superusers) may connect to it. */
export interface ServiceDatabase {
  database: string;
  role: string;
  password: string;
}

async function ensureLoginRole(client: pg.Client, role: string, password: string, attributes = ''): Promise<void> {
  const existing = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = existing.rowCount ? 'ALTER' : 'CREATE';
  await client.query(`${verb} ROLE ${client.escapeIdentifier(role)} WITH LOGIN ${attributes} PASSWORD ${client.escapeLiteral(password)}`);
}

async function ensureOwnedDatabase(client: pg.Client, database: string, owner: string): Promise<void> {
  const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!existing.rowCount) {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${client.escapeIdentifier(owner)}`);
  }
  await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${client.escapeIdentifier(database)} FROM PUBLIC`);
}

async function provisionDatabase(client: pg.Client, service: ServiceDatabase): Promise<void> {
  await ensureLoginRole(client, service.role, service.password);
  await ensureOwnedDatabase(client, service.database, service.role);
}

/**
 * What ensureServiceDatabase makes, as statements for a new cluster that has neither the role nor the database yet
 * (initialiseCluster runs them before the cluster first listens). The database is a file copy of template1 rather than
 * copied through the WAL: in a cluster nobody is connected to yet, the two checkpoints it takes cost less CPU than
 * logging every page, and a standby copied from the folder needs none of that WAL.
 */
export function serviceDatabaseStatements(service: ServiceDatabase): string[] {
  const [role, database] = [pg.escapeIdentifier(service.role), pg.escapeIdentifier(service.database)];
  return [
    'REVOKE CONNECT ON DATABASE postgres, template1 FROM PUBLIC',
    `CREATE ROLE ${role} WITH LOGIN PASSWORD ${pg.escapeLiteral(service.password)}`,
    `CREATE DATABASE ${database} OWNER ${role} STRATEGY FILE_COPY`,
    `REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`,
  ];
}

/** Creates (or re-asserts) the service's role and private database; shared databases stay closed to ordinary roles. */
export async function ensureServiceDatabase(adminUrl: string, service: ServiceDatabase): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    await client.query('REVOKE CONNECT ON DATABASE postgres, template1 FROM PUBLIC');
    await provisionDatabase(client, service);
  });
}

/** Creates (or re-asserts) a replication role and a physical replication slot on the primary. */
export async function ensureReplicationAccess(adminUrl: string, role: string, password: string, slot: string): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    await ensureLoginRole(client, role, password, 'REPLICATION');
    const existing = await client.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    if (!existing.rowCount) await client.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
  });
}

function withCredentials(adminUrl: string, service: ServiceDatabase): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(service.role);
  url.password = encodeURIComponent(service.password);
  url.pathname = `/${encodeURIComponent(service.database)}`;
  return url.toString();
}

/** Creates a uniquely named database with its own owner role on the cluster and returns that role's URL to it. */
export async function createIsolatedDatabase(adminUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(5).toString('hex')}`;
  const service = { database: name, role: name, password: generatePassword() };
  await withPgClient(adminUrl, (client) => provisionDatabase(client, service));
  return withCredentials(adminUrl, service);
}

/** Drops a database made by createIsolatedDatabase (disconnecting its sessions) and its owner role. */
export async function dropIsolatedDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  const role = decodeURIComponent(url.username);
  await withPgClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
  });
}
