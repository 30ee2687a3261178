import { appendToOutbox, inTransaction, statementToSend, type ConnectionPool } from '@shop/postgres';
import { alreadyExists } from '@shop/runtime/errors';
import type { NewUser, User } from '../domain/user.js';
import type { UserChange, UserEvents, UserRepository } from '../domain/user-repository.js';
import { rowValues, userColumns, userFromRow, type UserRow } from './user-rows.js';

const emailConstraint = 'users_email_key';

/** Users in PostgreSQL; each write and its event commit together. Reads are named statements, prepared once per connection. */
export class PgUserRepository implements UserRepository {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly events: UserEvents,
    private readonly namedStatements: boolean,
  ) {}

  /** Inserts the user and its UserCreated event. */
  async create(id: string, newUser: NewUser, now: Date): Promise<User> {
    const user: User = { id, ...newUser, version: 1n, createTime: now, updateTime: now };
    try {
      await inTransaction(this.pool, async (client) => {
        await client.query(`INSERT INTO users (${userColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, rowValues(user));
        await appendToOutbox(client, this.events.created(user));
      });
    } catch (error) {
      if ((error as { constraint?: string }).constraint === emailConstraint) throw alreadyExists('user', 'email', user.email);
      throw error;
    }
    return user;
  }

  /** Reads one user. */
  async get(id: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>(statementToSend({ name: 'users-get', text: `SELECT ${userColumns} FROM users WHERE id = $1`, values: [id] }, this.namedStatements));
    return rows[0] && userFromRow(rows[0]);
  }

  /** Reads many users in one query. */
  async getMany(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<UserRow>(statementToSend({ name: 'users-get-many', text: `SELECT ${userColumns} FROM users WHERE id = ANY($1::uuid[])`, values: [ids] }, this.namedStatements));
    return rows.map(userFromRow);
  }

  /** Locks the row, applies the change and records UserUpdated when something changed. */
  async update(id: string, change: UserChange): Promise<User | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id = $1 FOR UPDATE`, [id]);
      if (!rows[0]) return undefined;
      const current = userFromRow(rows[0]);
      const changed = change(current);
      if (!changed) return current;
      const { user, changedFields } = changed;
      await client.query(
        'UPDATE users SET email = $2, display_name = $3, address_line1 = $4, address_line2 = $5, address_line3 = $6, version = $7, created_at = $8, updated_at = $9 WHERE id = $1',
        rowValues(user),
      );
      await appendToOutbox(client, this.events.updated(user, changedFields));
      return user;
    });
  }

  /** Reads a page of users ordered by id. */
  async list(after: string | undefined, limit: number): Promise<User[]> {
    const { rows } = after
      ? await this.pool.query<UserRow>(`SELECT ${userColumns} FROM users WHERE id > $1 ORDER BY id LIMIT $2`, [after, limit])
      : await this.pool.query<UserRow>(`SELECT ${userColumns} FROM users ORDER BY id LIMIT $1`, [limit]);
    return rows.map(userFromRow);
  }
}
