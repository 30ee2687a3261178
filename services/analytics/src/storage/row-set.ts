import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

/**
 * Rows bound for one table, keyed by their first keyLength values: the first row of a key wins, as the first of
 * several events applied one by one would. Inserted with one multi-row statement that leaves existing keys alone.
 */
export class RowSet {
  private readonly rows = new Map<string, readonly DuckDBValue[]>();

  /** target: the table (and columns) inserted into; casts: the SQL type of each column taking a cast, by position. */
  constructor(
    private readonly target: string,
    private readonly casts: ReadonlyArray<string | undefined>,
    private readonly keyLength: number,
  ) {}

  /** Adds the row unless a row with its key is there already. */
  add(row: readonly DuckDBValue[]): void {
    const key = row.slice(0, this.keyLength).map(String).join('\u0000');
    if (!this.rows.has(key)) this.rows.set(key, row);
  }

  /** Inserts the rows (none: does nothing), skipping keys the table holds; answers the rows `returning` names. */
  async insert(connection: DuckDBConnection, returning?: string): Promise<Record<string, unknown>[]> {
    if (this.rows.size === 0) return [];
    const values: DuckDBValue[] = [];
    const tuples = [...this.rows.values()].map((row) => `(${row.map((value, index) => this.placeholder(values.push(value), index)).join(', ')})`);
    const sql = `INSERT INTO ${this.target} VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING${returning ? ` RETURNING ${returning}` : ''}`;
    if (returning) return (await connection.runAndReadAll(sql, values)).getRowObjectsJS() as Record<string, unknown>[];
    await connection.run(sql, values);
    return [];
  }

  private placeholder(position: number, column: number): string {
    const cast = this.casts[column];
    return cast ? `CAST($${position} AS ${cast})` : `$${position}`;
  }
}
