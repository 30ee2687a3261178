/** What a query answers: the rows and how many rows the statement touched. */
export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** Anything that runs a parameterised statement: a pool, a pooled client or a single connection. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  /** A statement as an object; with a name, PostgreSQL prepares it once per connection (see statementToSend). */
  query<R = Record<string, unknown>>(statement: { name?: string; text: string; values?: unknown[] }): Promise<QueryResult<R>>;
}

/** A connection taken from a pool; release() gives it back. */
export interface PooledConnection extends Queryable {
  release(error?: Error | boolean): void;
}

/** A connection pool: queries on any connection, or connect() for one connection of its own (a transaction). */
export interface ConnectionPool extends Queryable {
  connect(): Promise<PooledConnection>;
}
