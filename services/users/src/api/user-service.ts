import { create } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import {
  BatchGetUsersResponseSchema,
  CreateUserResponseSchema,
  GetUserResponseSchema,
  ListUsersResponseSchema,
  UpdateUserResponseSchema,
  UserService,
} from '@shop/gen/user/v1/user_service_pb';
import type { Users } from '../domain/users.js';
import { checkUpdateMask } from '../domain/user-rules.js';
import { noAddress } from '../domain/user.js';
import { toUserMessage } from './user-proto.js';

/** shop.user.v1.UserService over the users use cases. */
export function userServiceImpl(users: Users): ServiceImpl<typeof UserService> {
  return {
    async createUser(request) {
      const user = await users.create({ email: request.email, displayName: request.displayName, address: request.address });
      return create(CreateUserResponseSchema, { user: toUserMessage(user) });
    },
    async getUser(request) {
      return create(GetUserResponseSchema, { user: toUserMessage(await users.get(request.id)) });
    },
    async batchGetUsers(request) {
      const { users: found, missingIds } = await users.batchGet(request.ids);
      return create(BatchGetUsersResponseSchema, { users: found.map(toUserMessage), missingIds });
    },
    async updateUser(request) {
      const fields = checkUpdateMask(request.updateMask?.paths ?? []);
      const patch = { fields, displayName: request.user?.displayName ?? '', address: request.user?.address ?? noAddress };
      const user = await users.update(request.user?.id ?? '', patch);
      return create(UpdateUserResponseSchema, { user: toUserMessage(user) });
    },
    async listUsers(request) {
      const page = await users.list(request.pageSize, request.pageToken);
      return create(ListUsersResponseSchema, { users: page.users.map(toUserMessage), nextPageToken: page.nextPageToken });
    },
  };
}
