import { SignJWT, jwtVerify, errors } from 'jose';
import { unauthenticated } from '@shop/runtime/errors';
import type { Authenticator } from './authenticator.js';
import type { Principal } from '../domain/principal.js';

/** Signs and verifies the gateway's bearer tokens (HS256 with a shared secret from config). */
export class TokenAuthority implements Authenticator {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly issuer: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A token for the user, valid for ttl (for example "1h"). */
  mint(principal: Principal, ttl = '12h'): Promise<string> {
    return new SignJWT({ roles: [...principal.roles] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.userId)
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(this.key);
  }

  /** The principal of an `authorization: Bearer <jwt>` header, undefined without one; UNAUTHENTICATED when invalid. */
  async principalOf(authorization: string | null): Promise<Principal | undefined> {
    if (!authorization) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('authorization header must be "Bearer <token>"');
    try {
      const { payload } = await jwtVerify(match[1]!, this.key, { issuer: this.issuer, algorithms: ['HS256'] });
      if (!payload.sub) throw unauthenticated('token has no subject');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
      return { userId: payload.sub, roles };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('token expired');
      if (error instanceof errors.JOSEError) throw unauthenticated('invalid token');
      throw error;
    }
  }
}
