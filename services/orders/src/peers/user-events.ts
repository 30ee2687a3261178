import { fromBinary } from '@bufbuild/protobuf';
import { UserCreatedSchema, UserUpdatedSchema } from '@shop/gen/user/v1/user_events_pb';
import { eventSubject, startEventConsumer, type EventBus, type EventConsumer, type Logger } from '@shop/runtime';
import type pg from 'pg';
import { upsertCustomerName } from '../storage/customer-names.js';

/** Keeps the local copy of customers' display names from users' UserCreated and UserUpdated events. */
export function startCustomerNameConsumer(bus: EventBus, pool: pg.Pool, logger: Logger): Promise<EventConsumer> {
  return startEventConsumer({
    bus,
    source: 'users',
    durable: 'orders-customer-names',
    filterSubjects: [eventSubject(bus, 'users', UserCreatedSchema), eventSubject(bus, 'users', UserUpdatedSchema)],
    logger,
    handle: async (event) => {
      const decoded = decodeUserEvent(event.type, event.payload, logger);
      if (!decoded?.user) return;
      await upsertCustomerName(pool, { customerId: decoded.userId || decoded.user.id, displayName: decoded.user.displayName, version: decoded.version });
    },
  });
}

function decodeUserEvent(type: string, payload: Uint8Array, logger: Logger) {
  try {
    if (type === UserCreatedSchema.typeName) return fromBinary(UserCreatedSchema, payload);
    if (type === UserUpdatedSchema.typeName) return fromBinary(UserUpdatedSchema, payload);
  } catch (error) {
    logger.error({ err: error, type }, 'skipping an undecodable user event');
  }
  return undefined;
}
