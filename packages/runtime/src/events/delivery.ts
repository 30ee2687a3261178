import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { eventTypeHeader } from './bus.js';

/** One delivered event. */
export interface DeliveredEvent {
  readonly subject: string;
  /** Full protobuf type name from the Event-Type header. */
  readonly type: string;
  /** The event id (the publisher's deduplication id). */
  readonly id: string;
  readonly payload: Uint8Array;
  /** How many times the bus has delivered this message, 1 the first time. */
  readonly deliveryCount: number;
}

/** The event a JetStream message of the stream carries. */
export function deliveredEventOf(message: JsMsg, stream: string): DeliveredEvent {
  return {
    subject: message.subject,
    type: message.headers?.get(eventTypeHeader) ?? '',
    id: message.headers?.get('Nats-Msg-Id') ?? `${stream}:${message.seq}`,
    payload: message.data,
    deliveryCount: message.info.deliveryCount,
  };
}

/** Hands a message whose handling failed back to the bus, redelivered after a delay growing with its deliveries. */
export function redeliverLater(message: JsMsg, event: DeliveredEvent, error: unknown, logger: Logger): void {
  logger.warn({ err: error, subject: event.subject, eventId: event.id }, 'event handling failed; will be redelivered');
  message.nak(Math.min(10_000, 200 * event.deliveryCount));
}
