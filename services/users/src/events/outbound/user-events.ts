import { randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { eventSubject, type EventBus } from '@shop/runtime';
import { UserCreatedSchema, UserUpdatedSchema } from '@shop/gen/user/v1/user_events_pb';
import type { UserEvents } from '../../domain/user-repository.js';
import { toUserMessage } from '../../api/user-proto.js';

/** Builds UserCreated and UserUpdated events on the users stream's subjects, each with a fresh id and the user's version. */
export function userEvents(bus: Pick<EventBus, 'namespace'>): UserEvents {
  return {
    created: (user) => {
      const id = randomUUID();
      const message = create(UserCreatedSchema, { eventId: id, userId: user.id, version: user.version, occurTime: timestampFromDate(user.updateTime), user: toUserMessage(user) });
      return { id, subject: eventSubject(bus, 'users', UserCreatedSchema), type: UserCreatedSchema.typeName, payload: toBinary(UserCreatedSchema, message) };
    },
    updated: (user, changedFields) => {
      const id = randomUUID();
      const message = create(UserUpdatedSchema, {
        eventId: id,
        userId: user.id,
        version: user.version,
        occurTime: timestampFromDate(user.updateTime),
        user: toUserMessage(user),
        changedFields: [...changedFields],
      });
      return { id, subject: eventSubject(bus, 'users', UserUpdatedSchema), type: UserUpdatedSchema.typeName, payload: toBinary(UserUpdatedSchema, message) };
    },
  };
}
