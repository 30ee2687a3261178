import type { MigrationParams } from 'umzug';
import { ensureCollection } from '../src/storage/collections.js';
import type { MigrationContext } from '../src/storage/migrations.js';

/** The reservations collection, keyed by the caller's reservation id, with its schema validator. */
export async function up({ context: db }: MigrationParams<MigrationContext>): Promise<void> {
  await ensureCollection(db, 'reservations', {
    validator: {
      $jsonSchema: {
        bsonType: 'object',
        required: ['_id', 'items', 'status', 'shortProductIds', 'createTime'],
        properties: {
          _id: { bsonType: 'string', minLength: 1 },
          items: {
            bsonType: 'array',
            minItems: 1,
            items: {
              bsonType: 'object',
              required: ['productId', 'quantity'],
              properties: { productId: { bsonType: 'string' }, quantity: { bsonType: 'int', minimum: 1 } },
            },
          },
          status: { enum: ['RESERVED', 'REJECTED', 'RELEASED'] },
          shortProductIds: { bsonType: 'array', items: { bsonType: 'string' } },
          createTime: { bsonType: 'date' },
          releaseTime: { bsonType: 'date' },
        },
      },
    },
  });
}
