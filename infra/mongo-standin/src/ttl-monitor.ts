import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import type { Persistence } from './storage/persistence.js';
import { Workspace } from './workspace.js';

/** How often expired documents are removed, like MongoDB's TTL monitor (`ttlMonitorSleepSecs`, 60 s). */
export const TTL_MONITOR_INTERVAL_MS = 60_000;

function expiresAt(value: unknown, expireAfterSeconds: number): number | undefined {
  const dates = (Array.isArray(value) ? value : [value]).filter((entry): entry is Date => entry instanceof Date);
  if (dates.length === 0) return undefined;
  return Math.min(...dates.map((date) => date.getTime())) + expireAfterSeconds * 1000;
}

/** Deletes the documents whose TTL index date (plus expireAfterSeconds) has passed; returns how many. */
export function removeExpired(persistence: Persistence, now = Date.now()): number {
  const workspace = new Workspace(persistence);
  let removed = 0;
  for (const [db, collections] of persistence.store.databases) {
    for (const [coll, state] of collections) {
      for (const spec of state.indexes) {
        const fields = Object.keys(spec.key);
        if (typeof spec.expireAfterSeconds !== 'number' || fields.length !== 1) continue;
        for (const document of state.documents.values() as Iterable<Document>) {
          const deadline = expiresAt(resolve(document, fields[0] as string), spec.expireAfterSeconds);
          if (deadline === undefined || deadline > now) continue;
          workspace.remove(db, coll, document._id);
          removed += 1;
        }
      }
    }
  }
  workspace.commit();
  return removed;
}

/** Runs removeExpired periodically until stopped; each pass is made durable before the next. */
export function startTtlMonitor(persistence: Persistence, intervalMs: number, log: (line: string) => void): () => void {
  const timer = setInterval(() => {
    try {
      if (removeExpired(persistence) > 0) void persistence.sync().catch((error: unknown) => log(`ttl monitor: journal write failed: ${(error as Error).message}`));
    } catch (error) {
      log(`ttl monitor: ${(error as Error).message}`);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
