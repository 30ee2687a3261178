import { fromBinary } from '@bufbuild/protobuf';
import { UserCreatedSchema, UserUpdatedSchema } from '@shop/gen/user/v1/user_events_pb';
import type { DeliveredEvent, Logger } from '@shop/runtime';
import type { CustomerNames } from '../../domain/customer-names.js';

/** Decodes users' UserCreated and UserUpdated events and hands the display names to the domain. */
export function userEventHandler(customerNames: CustomerNames, logger: Logger): (event: DeliveredEvent) => Promise<void> {
  return async (event) => {
    const decoded = decodeUserEvent(event.type, event.payload, logger);
    if (!decoded?.user) return;
    await customerNames.announce({ customerId: decoded.userId || decoded.user.id, displayName: decoded.user.displayName, version: decoded.version });
  };
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
