import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../errors.js';

/** A sustained rate in calls per second and the burst allowed above it, per caller. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Limits per authenticated user and per client address. */
export interface CallerRateLimits {
  readonly perUser: RateLimit;
  readonly perAddress: RateLimit;
}

/** Who makes a call, as far as the server can tell. */
export interface Caller {
  readonly userId?: string;
  readonly address?: string;
}

/** A check run before a call's handler: resolves to admit the call, rejects with a DomainError to refuse it. */
export type Admission = (call: AdmissionRequest) => Promise<void>;

/** What an admission check sees of a call. */
export interface AdmissionRequest {
  /** `/package.Service/Method`. */
  readonly method: string;
  readonly requestHeader: Headers;
  /** The client's IP address, when the transport knows it. */
  readonly peerAddress?: string;
}

/**
 * Rate limits per caller (rate-limiter-flexible's bursty in-memory limiters: a sustained rate plus a burst allowance),
 * each user and each address with its own budget; a caller over budget gets RESOURCE_EXHAUSTED and nobody else notices.
 */
export class CallerRateLimiter {
  private readonly users: BurstyRateLimiter;
  private readonly addresses: BurstyRateLimiter;

  constructor(limits: CallerRateLimits) {
    this.users = burstyLimiter('user', limits.perUser);
    this.addresses = burstyLimiter('address', limits.perAddress);
  }

  /** Charges one call to the caller's budgets; RESOURCE_EXHAUSTED when one is spent. */
  async admit(caller: Caller): Promise<void> {
    if (caller.address !== undefined) await charge(this.addresses, caller.address, 'client address');
    if (caller.userId !== undefined) await charge(this.users, caller.userId, 'user');
  }
}

/** An admission charging each call to its user (found by userOf from the request headers) and its client address. */
export function rateLimitAdmission(limiter: CallerRateLimiter, userOf: (requestHeader: Headers) => Promise<string | undefined>): Admission {
  return async ({ requestHeader, peerAddress }) => {
    const userId = await userOf(requestHeader).catch(() => undefined);
    await limiter.admit({ userId, address: peerAddress });
  };
}

function burstyLimiter(name: string, limit: RateLimit): BurstyRateLimiter {
  const sustained = new RateLimiterMemory({ keyPrefix: `${name}-rate`, points: Math.max(1, limit.perSecond), duration: 1 });
  const burstSeconds = Math.max(1, Math.ceil(limit.burst / Math.max(1, limit.perSecond)));
  const burst = new RateLimiterMemory({ keyPrefix: `${name}-burst`, points: Math.max(1, limit.burst), duration: burstSeconds });
  return new BurstyRateLimiter(sustained, burst);
}

async function charge(limiter: BurstyRateLimiter, key: string, kind: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const retrySeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new DomainError('RESOURCE_EXHAUSTED', `rate limit of this ${kind} exceeded; retry in ${retrySeconds} s`);
  }
}
