import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AddressSchema, UserSchema, type User as UserMessage } from '@shop/gen/user/v1/user_pb';
import type { User } from '../domain/user.js';

/** The proto message of a domain user. */
export function toUserMessage(user: User): UserMessage {
  return create(UserSchema, {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    address: create(AddressSchema, user.address),
    version: user.version,
    createTime: timestampFromDate(user.createTime),
    updateTime: timestampFromDate(user.updateTime),
  });
}
