import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/**
 * Rows bound for one table, keyed by their first keyLength values: the first row of a key wins, as the first of
 * several events applied one by one would. Inserted with one statement taking each column as one list parameter
 * (unnested), leaving keys the table holds alone.
 */
export class RowSet {
  private readonly rows = new Map<string, readonly DuckDBValue[]>();

  /** target: the table (and columns) inserted into; types: the SQL type of each column, in order. */
  constructor(
    private readonly target: string,
    private readonly types: readonly string[],
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
    const rows = [...this.rows.values()];
    const columns = this.types.map((_, column) => listValue(rows.map((row) => row[column] ?? null)));
    const select = this.types.map((type, column) => `unnest(CAST($${column + 1} AS ${type}[]))`).join(', ');
    const sql = `INSERT INTO ${this.target} SELECT ${select} ON CONFLICT DO NOTHING${returning ? ` RETURNING ${returning}` : ''}`;
    if (returning) return (await connection.runAndReadAll(sql, columns)).getRowObjectsJS() as Record<string, unknown>[];
    await connection.run(sql, columns);
    return [];
  }
}
