import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@shop/runtime/errors';
import { eventually } from '@shop/testkit';
import { TokenAuthority } from '../src/auth/jwt.js';

const secret = 'token-test-secret-token-test-secret-0001';
const refusal = (authority: TokenAuthority, header: string) => authority.principalOf(header).then(() => undefined, (error: unknown) => error);

describe('bearer tokens', () => {
  it('answers the same principal for a token it already verified', async () => {
    const authority = new TokenAuthority(secret, 'shop-gateway');
    const token = await authority.mint({ userId: 'alice', roles: ['admin'] });
    expect(await authority.principalOf(`Bearer ${token}`)).toEqual({ userId: 'alice', roles: ['admin'] });
    expect(await authority.principalOf(`bearer ${token}`)).toEqual({ userId: 'alice', roles: ['admin'] });
  });

  it('refuses a token whose signature was changed, after the genuine one was verified', async () => {
    const authority = new TokenAuthority(secret, 'shop-gateway');
    const token = await authority.mint({ userId: 'alice', roles: [] });
    await authority.principalOf(`Bearer ${token}`);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(await refusal(authority, `Bearer ${tampered}`)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('invalid token') });
    const forged = await new TokenAuthority('another-secret-another-secret-another-01', 'shop-gateway').mint({ userId: 'alice', roles: ['admin'] });
    expect(await refusal(authority, `Bearer ${forged}`)).toBeInstanceOf(DomainError);
  });

  it('stops accepting a verified token once it expires', async () => {
    const authority = new TokenAuthority(secret, 'shop-gateway');
    const token = await authority.mint({ userId: 'bob', roles: [] }, '2s');
    expect(await authority.principalOf(`Bearer ${token}`)).toMatchObject({ userId: 'bob' });
    const error = await eventually(() => refusal(authority, `Bearer ${token}`), { description: 'the token expiring', timeoutMs: 15_000, intervalMs: 100 });
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('token expired') });
  });
});
