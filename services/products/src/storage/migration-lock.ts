import { randomUUID } from 'node:crypto';
import { ConstantBackoff, handleType, retry } from 'cockatiel';
import type { Collection } from 'mongodb';
import { isDuplicateKey } from './mongo-store.js';

/** The lock document: one at a time, held by one starting instance until it releases it or its lease ends. */
export interface LockDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/** How long a lock may be held and how long to wait for it. */
export interface LockTimings {
  readonly leaseMs: number;
  readonly waitMs: number;
  readonly pollMs: number;
}

class LockHeldError extends Error {}

const defaultTimings: LockTimings = { leaseMs: 60_000, waitMs: 120_000, pollMs: 100 };

/**
 * Runs fn while holding the named lock: a document with a unique `_id`, taken with insertOne, waited for while
 * another instance holds it, taken over once its lease has passed (a holder that died), and deleted afterwards.
 */
export async function withLock<T>(locks: Collection<LockDocument>, name: string, fn: () => Promise<T>, timings = defaultTimings): Promise<T> {
  const owner = randomUUID();
  const waiting = retry(handleType(LockHeldError), { maxAttempts: Math.ceil(timings.waitMs / timings.pollMs), backoff: new ConstantBackoff(timings.pollMs) });
  await waiting.execute(() => acquire(locks, name, owner, timings.leaseMs));
  try {
    return await fn();
  } finally {
    await locks.deleteOne({ _id: name, owner });
  }
}

async function acquire(locks: Collection<LockDocument>, name: string, owner: string, leaseMs: number): Promise<void> {
  try {
    await locks.insertOne({ _id: name, owner, expiresAt: new Date(Date.now() + leaseMs) });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await locks.deleteOne({ _id: name, expiresAt: { $lt: new Date() } });
    throw new LockHeldError(`lock ${name} is held by another instance`);
  }
}
