import type { MigrationParams } from 'umzug';
import { ensureCollection } from '../src/storage/collections.js';
import type { MigrationContext } from '../src/storage/migrations.js';

/** The products collection with its schema validator, a unique SKU index and a category index for listing. */
export async function up({ context: db }: MigrationParams<MigrationContext>): Promise<void> {
  await ensureCollection(db, 'products', {
    validator: {
      $jsonSchema: {
        bsonType: 'object',
        required: ['_id', 'sku', 'name', 'description', 'categoryId', 'price', 'stock', 'version', 'createTime', 'updateTime'],
        properties: {
          _id: { bsonType: 'string' },
          sku: { bsonType: 'string', minLength: 1, maxLength: 64 },
          name: { bsonType: 'string', minLength: 1 },
          description: { bsonType: 'string' },
          categoryId: { bsonType: 'string', pattern: '^[a-z0-9-]+$' },
          price: {
            bsonType: 'object',
            required: ['amountMinor', 'currencyCode'],
            properties: {
              amountMinor: { bsonType: ['long', 'int'], minimum: 0 },
              currencyCode: { bsonType: 'string', pattern: '^[A-Z]{3}$' },
            },
          },
          stock: { bsonType: ['int', 'long'], minimum: 0 },
          version: { bsonType: ['int', 'long'], minimum: 1 },
          createTime: { bsonType: 'date' },
          updateTime: { bsonType: 'date' },
        },
      },
    },
  });
  await db.collection('products').createIndexes([
    { key: { sku: 1 }, name: 'sku_unique', unique: true },
    { key: { categoryId: 1, _id: 1 }, name: 'category_id' },
  ]);
}
