import type { Collection, Db } from 'mongodb';
import type { Logger } from 'pino';
import { Umzug, type UmzugStorage } from 'umzug';
import { productMigrations } from '../../migrations/index.js';
import { withLock, type LockDocument } from './migration-lock.js';

/** What a migration script receives: the service's database. */
export type MigrationContext = Db;

/** A record of an applied migration in the `migrations` collection. */
export interface MigrationRecord {
  _id: string;
  appliedAt: Date;
}

/** Umzug storage keeping one document per applied migration, keyed by its name so none is recorded twice. */
export class MongoMigrationStorage implements UmzugStorage<MigrationContext> {
  constructor(private readonly records: Collection<MigrationRecord>) {}

  /** Records a migration as applied. */
  async logMigration({ name }: { name: string }): Promise<void> {
    await this.records.insertOne({ _id: name, appliedAt: new Date() });
  }

  /** Forgets an applied migration. */
  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.records.deleteOne({ _id: name });
  }

  /** Names of the applied migrations. */
  async executed(): Promise<string[]> {
    const records = await this.records.find().sort({ _id: 1 }).toArray();
    return records.map((record) => record._id);
  }
}

/** Applies the pending migrations in version order, one instance at a time; resolves with the names it applied. */
export async function migrate(db: Db, logger: Logger): Promise<string[]> {
  return withLock(db.collection<LockDocument>('migration_lock'), 'migrations', async () => {
    const umzug = new Umzug<MigrationContext>({
      migrations: [...productMigrations],
      context: db,
      storage: new MongoMigrationStorage(db.collection<MigrationRecord>('migrations')),
      logger: {
        info: (message) => logger.info({ migration: message }, 'migration'),
        warn: (message) => logger.warn({ migration: message }, 'migration'),
        error: (message) => logger.error({ migration: message }, 'migration'),
        debug: (message) => logger.debug({ migration: message }, 'migration'),
      },
    });
    const applied = await umzug.up();
    return applied.map((migration) => migration.name);
  });
}
