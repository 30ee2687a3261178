import pg from 'pg';

/** Runs the work with a short-lived client connected to the URL, always closing it. */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Resolves once the server at the URL answers SELECT 1. */
export async function pgAnswers(url: string): Promise<void> {
  await withPgClient(url, (client) => client.query('SELECT 1'));
}

/** Builds a postgres:// URL for a role and database on a local port. */
export function postgresUrl(port: number, user: string, password: string, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}
