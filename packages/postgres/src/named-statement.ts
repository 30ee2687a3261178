/** A parameterised statement with a name, under which PostgreSQL prepares it once per connection. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/**
 * The statement as sent: named where each client keeps its server connection, unnamed (parsed on every call) behind a
 * transaction pooler that hands each transaction any server connection and does not carry prepared statements
 * across them (PgBouncer before 1.21, or without max_prepared_statements).
 */
export function statementToSend(statement: NamedStatement, named: boolean): { name?: string; text: string; values: unknown[] } {
  return named ? statement : { text: statement.text, values: statement.values };
}
