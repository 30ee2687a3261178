import type { Principal } from '../domain/principal.js';

/** Who a call's `authorization` header says the caller is: undefined without one, UNAUTHENTICATED when it is invalid. */
export interface Authenticator {
  principalOf(authorization: string | null): Promise<Principal | undefined>;
}
