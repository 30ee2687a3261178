import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

interface CachedCredential {
  salt: Buffer;
  digest: Buffer;
  expiresAt: number;
}

/** Elasticsearch's realm defaults: `cache.ttl` 20 minutes, `cache.max_users` 100,000. */
const defaultTtlMs = 20 * 60 * 1000;
const defaultMaxUsers = 100_000;

function saltedSha256(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password, 'utf8').digest();
}

/**
 * The credentials of recent successful authentications, as Elasticsearch's realm user cache keeps them: a salted
 * SHA-256 of the password per user (never the password), expiring after `cache.ttl`, so only the first request of a
 * user pays the slow password hash. A password that does not match the cached one falls back to the slow check.
 */
export class CredentialCache {
  private readonly entries = new Map<string, CachedCredential>();

  constructor(
    private readonly ttlMs = defaultTtlMs,
    private readonly maxUsers = defaultMaxUsers,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this password is the one a recent successful authentication of the user presented. */
  matches(username: string, password: string): boolean {
    const entry = this.entries.get(username);
    if (!entry) return false;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(username);
      return false;
    }
    return timingSafeEqual(saltedSha256(entry.salt, password), entry.digest);
  }

  /** Records a successful authentication. */
  remember(username: string, password: string): void {
    if (!this.entries.has(username) && this.entries.size >= this.maxUsers) this.entries.delete(this.entries.keys().next().value!);
    const salt = randomBytes(16);
    this.entries.set(username, { salt, digest: saltedSha256(salt, password), expiresAt: this.now() + this.ttlMs });
  }
}
