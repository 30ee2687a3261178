import type { Client } from '@connectrpc/connect';
import type { UserService } from '@shop/gen/user/v1/user_service_pb';
import type { UsersPort } from '../domain/ports.js';
import { callOptions } from './call-options.js';

/** The users service behind the UsersPort. */
export function usersPeer(client: Client<typeof UserService>): UsersPort {
  return {
    get: async (id, budget) => {
      const { user } = await client.getUser({ id }, callOptions(budget));
      return user ? { id: user.id, displayName: user.displayName, email: user.email } : undefined;
    },
  };
}
