import type { CreateCollectionOptions, Db } from 'mongodb';

/** Creates a collection with the given options unless it exists, so a migration may be re-run after a crash. */
export async function ensureCollection(db: Db, name: string, options: CreateCollectionOptions): Promise<void> {
  const existing = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (existing.length === 0) await db.createCollection(name, options);
}
