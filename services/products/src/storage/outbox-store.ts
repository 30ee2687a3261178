import { Binary, ObjectId, type Collection } from 'mongodb';
import type { OutboxEvent, OutboxStore } from '@shop/runtime';
import { activeTraceContext } from '@shop/runtime/tracing';
import type { OutboxDocument } from './documents.js';

/** An outbox event with the W3C trace-context carrier of the change that wrote it, when it was traced. */
export type TracedOutboxEvent = OutboxEvent & { readonly traceContext?: Readonly<Record<string, string>> };

/** The stored form of an outbox event, not yet published, with the trace context of the change that wrote it. */
export function outboxDocumentOf(event: TracedOutboxEvent): OutboxDocument {
  const traceContext = event.traceContext ?? activeTraceContext();
  return {
    _id: new ObjectId(),
    eventId: event.id,
    subject: event.subject,
    type: event.type,
    payload: new Binary(event.payload),
    createTime: new Date(),
    publishedAt: null,
    ...(traceContext ? { traceContext: { ...traceContext } } : {}),
  };
}

/** The relay's view of the `outbox` collection: unpublished events in write order, marked once the bus acknowledged them. */
export class MongoOutboxStore implements OutboxStore {
  constructor(private readonly outbox: Collection<OutboxDocument>) {}

  /** Oldest unpublished events first, each with its trace context when it has one. */
  async unpublished(limit: number): Promise<TracedOutboxEvent[]> {
    const documents = await this.outbox.find({ publishedAt: null }).sort({ _id: 1 }).limit(limit).toArray();
    return documents.map((document) => ({
      id: document.eventId,
      subject: document.subject,
      type: document.type,
      payload: document.payload.value(),
      recordedAt: document.createTime,
      ...(document.traceContext ? { traceContext: document.traceContext } : {}),
    }));
  }

  /** Stamps the events' publication time; published events expire through the collection's TTL index. */
  async markPublished(ids: readonly string[]): Promise<void> {
    await this.outbox.updateMany({ eventId: { $in: [...ids] } }, { $set: { publishedAt: new Date() } });
  }

  /** How many events wait to be published, for the relay's backlog gauge. */
  countUnpublished(): Promise<number> {
    return this.outbox.countDocuments({ publishedAt: null });
  }
}
