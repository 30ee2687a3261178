import { Binary, ObjectId, type Collection } from 'mongodb';
import type { OutboxEvent, OutboxStore } from '@shop/runtime';
import type { OutboxDocument } from './documents.js';

/** The stored form of an outbox event, not yet published. */
export function outboxDocumentOf(event: OutboxEvent): OutboxDocument {
  return {
    _id: new ObjectId(),
    eventId: event.id,
    subject: event.subject,
    type: event.type,
    payload: new Binary(event.payload),
    createTime: new Date(),
    publishedAt: null,
  };
}

/** The relay's view of the `outbox` collection: unpublished events in write order, marked once the bus acknowledged them. */
export class MongoOutboxStore implements OutboxStore {
  constructor(private readonly outbox: Collection<OutboxDocument>) {}

  /** Oldest unpublished events first. */
  async unpublished(limit: number): Promise<OutboxEvent[]> {
    const documents = await this.outbox.find({ publishedAt: null }).sort({ _id: 1 }).limit(limit).toArray();
    return documents.map((document) => ({
      id: document.eventId,
      subject: document.subject,
      type: document.type,
      payload: document.payload.value(),
    }));
  }

  /** Stamps the events' publication time; published events expire through the collection's TTL index. */
  async markPublished(ids: readonly string[]): Promise<void> {
    await this.outbox.updateMany({ eventId: { $in: [...ids] } }, { $set: { publishedAt: new Date() } });
  }
}
