import { describe, expect, it } from '@jest/globals';
import { CredentialCache } from '../src/security/credential-cache.js';

describe('credential cache: recent successful authentications, as Elasticsearch caches realm users', () => {
  it('matches only the password that was remembered for that user', () => {
    const cache = new CredentialCache();
    expect(cache.matches('catalog', 'secret')).toBe(false);
    cache.remember('catalog', 'secret');
    expect(cache.matches('catalog', 'secret')).toBe(true);
    expect(cache.matches('catalog', 'secret ')).toBe(false);
    expect(cache.matches('admin', 'secret')).toBe(false);
  });

  it('forgets a user once the time to live has passed', () => {
    let now = 1_000;
    const cache = new CredentialCache(60_000, 10, () => now);
    cache.remember('catalog', 'secret');
    now += 59_999;
    expect(cache.matches('catalog', 'secret')).toBe(true);
    now += 1;
    expect(cache.matches('catalog', 'secret')).toBe(false);
  });

  it('keeps at most max users, dropping the oldest', () => {
    const cache = new CredentialCache(60_000, 2);
    cache.remember('a', '1');
    cache.remember('b', '2');
    cache.remember('c', '3');
    expect([cache.matches('a', '1'), cache.matches('b', '2'), cache.matches('c', '3')]).toEqual([false, true, true]);
  });
});
