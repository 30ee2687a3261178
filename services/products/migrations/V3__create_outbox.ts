import type { MigrationParams } from 'umzug';
import { ensureCollection } from '../src/storage/collections.js';
import type { MigrationContext } from '../src/storage/migrations.js';

const publishedEventRetentionSeconds = 7 * 24 * 3600;

/** The outbox collection: events in write order, unique by event id, published ones expiring after a week. */
export async function up({ context: db }: MigrationParams<MigrationContext>): Promise<void> {
  await ensureCollection(db, 'outbox', {
    validator: {
      $jsonSchema: {
        bsonType: 'object',
        required: ['_id', 'eventId', 'subject', 'type', 'payload', 'createTime', 'publishedAt'],
        properties: {
          eventId: { bsonType: 'string' },
          subject: { bsonType: 'string' },
          type: { bsonType: 'string' },
          payload: { bsonType: 'binData' },
          createTime: { bsonType: 'date' },
          publishedAt: { bsonType: ['date', 'null'] },
        },
      },
    },
  });
  await db.collection('outbox').createIndexes([
    { key: { eventId: 1 }, name: 'event_id_unique', unique: true },
    { key: { publishedAt: 1, _id: 1 }, name: 'unpublished' },
    { key: { publishedAt: 1 }, name: 'published_ttl', expireAfterSeconds: publishedEventRetentionSeconds },
  ]);
}
