import type { Document } from 'mongodb';
import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../src/storage/migrations.js';

/**
 * Lets a reservation hold no items: releasing an unknown reservation id records it as RELEASED with no items, so that
 * a reservation with that id arriving later (a delayed retry) holds nothing.
 */
export async function up({ context: db }: MigrationParams<MigrationContext>): Promise<void> {
  const [collection] = await db.listCollections({ name: 'reservations' }).toArray();
  const validator = structuredClone((collection as { options?: Document } | undefined)?.options?.validator as Document);
  validator.$jsonSchema.properties.items.minItems = 0;
  await db.command({ collMod: 'reservations', validator });
}
