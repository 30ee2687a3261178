import { permissionDenied, unauthenticated } from '@shop/runtime/errors';

/** The authenticated caller. */
export interface Principal {
  readonly userId: string;
  readonly roles: readonly string[];
}

/** The caller, or UNAUTHENTICATED when the call carries no token. */
export function requireUser(principal: Principal | undefined): Principal {
  if (!principal) throw unauthenticated('this call needs a bearer token');
  return principal;
}

/** The caller when they hold the admin role; PERMISSION_DENIED otherwise. */
export function requireAdmin(principal: Principal | undefined): Principal {
  const user = requireUser(principal);
  if (!user.roles.includes('admin')) throw permissionDenied('this call needs the admin role');
  return user;
}

/** Refuses access to a resource owned by someone else, without telling anything about it. */
export function requireOwner(principal: Principal, ownerId: string, resource: string): void {
  if (principal.userId !== ownerId) throw permissionDenied(`${resource} is not accessible`);
}
