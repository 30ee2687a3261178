import { Code, ConnectError, type Client } from '@connectrpc/connect';
import type { UserService } from '@shop/gen/user/v1/user_service_pb';
import type { Customer, Customers } from '../domain/ports.js';

/** The users service behind the Customers port. */
export function usersDirectory(client: Client<typeof UserService>): Customers {
  return {
    get: async (id): Promise<Customer | undefined> => {
      try {
        const { user } = await client.getUser({ id });
        return user ? { id: user.id, displayName: user.displayName, version: user.version } : undefined;
      } catch (error) {
        if (error instanceof ConnectError && (error.code === Code.NotFound || error.code === Code.InvalidArgument)) return undefined;
        throw error;
      }
    },
  };
}
