import { SignJWT, jwtVerify, errors } from 'jose';
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '@shop/runtime/errors';
import type { Authenticator } from './authenticator.js';
import type { Principal } from '../domain/principal.js';

/** How many verified tokens are remembered; the least recently used goes first. */
const verifiedTokensKept = 10_000;

/**
 * Signs and verifies the gateway's bearer tokens (HS256 with a shared secret from config). A token that verified is
 * remembered, signature and all, until it expires, so a caller's next calls skip the HMAC; an invalid one never is.
 */
export class TokenAuthority implements Authenticator {
  private readonly key: Uint8Array;
  private readonly verified = new LRUCache<string, Principal>({ max: verifiedTokensKept, ttlAutopurge: false });

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
    const token = match[1]!;
    return this.verified.get(token) ?? this.verify(token);
  }

  private async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: this.issuer, algorithms: ['HS256'] });
      if (!payload.sub) throw unauthenticated('token has no subject');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
      const principal = { userId: payload.sub, roles };
      const ttl = payload.exp === undefined ? 0 : payload.exp * 1000 - Date.now();
      if (ttl > 0) this.verified.set(token, principal, { ttl });
      return principal;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('token expired');
      if (error instanceof errors.JOSEError) throw unauthenticated('invalid token');
      throw error;
    }
  }
}
