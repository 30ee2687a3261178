import type { Logger } from 'pino';
import { publishEvent, type EventBus } from './bus.js';
import { outboxMetrics, type OutboxMetrics } from '../telemetry/outbox-metrics.js';

/** An event recorded in a service's outbox in the same atomic write as the change it describes. */
export interface OutboxEvent {
  /** Event id, also the bus's deduplication id. */
  readonly id: string;
  readonly subject: string;
  /** Full protobuf type name, for example "shop.product.v1.ProductUpdated". */
  readonly type: string;
  /** The event message in protobuf binary. */
  readonly payload: Uint8Array;
  /** W3C trace context (traceparent, tracestate) of the write that recorded the event: activeTraceContext(). */
  readonly traceContext?: Record<string, string>;
  /** When the event was written, if the store keeps it: the relay's lag is measured from it. */
  readonly recordedAt?: Date;
}

/** Where the relay reads unpublished events from and marks them published: a service's own store. */
export interface OutboxStore {
  /** Oldest unpublished events, at most limit. */
  unpublished(limit: number): Promise<OutboxEvent[]>;
  /** Marks events as published. */
  markPublished(ids: readonly string[]): Promise<void>;
  /** Deletes events published more than olderThanMs ago; resolves with how many. Optional: a store may expire them itself. */
  prunePublished?(olderThanMs: number): Promise<number>;
  /** How many events wait; optional: without it the backlog gauge shows what the relay's last pass found (at most a batch). */
  countUnpublished?(): Promise<number>;
}

/** A running relay. */
export interface OutboxRelay {
  /** Asks for a pass now instead of at the next poll, for example right after a write. */
  kick(): void;
  /** Stops after the pass in progress. */
  stop(): Promise<void>;
}

/** Options of startOutboxRelay. */
export interface OutboxRelayOptions {
  readonly store: OutboxStore;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** How long a pass a kick asks for waits for more kicks, so commits close together share a pass (default 5 ms). */
  readonly kickLingerMs?: number;
  /** How long published events are kept before pruning (default 7 days). */
  readonly retentionMs?: number;
  /** How often the relay prunes (default hourly). */
  readonly pruneIntervalMs?: number;
  /** The relay's instruments, when the caller registered them before the relay could start; the caller stops them. */
  readonly metrics?: OutboxMetrics;
}

/**
 * Relays outbox events to the bus, in order, at least once: an event is marked published only after the bus
 * acknowledged it, and a failed publish is retried with backoff until it succeeds. A pass sends all its events at
 * once, in outbox order on the one connection (so each subject's stream holds them in that order), and awaits their
 * acknowledgements together. A kick starts a pass within kickLingerMs, also one arriving during a pass, so the
 * commits of those few milliseconds share one pass (one read, one publish round, one mark).
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const pollMs = options.pollIntervalMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  const lingerMs = options.kickLingerMs ?? 5;
  let stopped = false;
  let failures = 0;
  let kicked = false;
  let wake: ((byKick: boolean) => void) | undefined;
  const metrics = options.metrics ?? outboxMetrics(options.store.countUnpublished?.bind(options.store));
  const sleep = (ms: number, kickable: boolean) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      let deadline = Date.now() + (kickable && kicked ? Math.min(ms, lingerMs) : ms);
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      let timer = setTimeout(done, deadline - Date.now());
      wake = (byKick) => {
        if (!byKick) return done();
        if (!kickable || Date.now() + lingerMs >= deadline) return;
        deadline = Date.now() + lingerMs;
        clearTimeout(timer);
        timer = setTimeout(done, lingerMs);
      };
    });

  const pass = async (): Promise<number> => {
    const events = await options.store.unpublished(batchSize);
    metrics.found(events.length);
    const outcomes = await Promise.allSettled(events.map((event) => publishEvent(options.bus, event)));
    const published = events.filter((event, index) => {
      if (outcomes[index]!.status !== 'fulfilled') return false;
      metrics.relayed(event.recordedAt);
      return true;
    });
    if (published.length > 0) await options.store.markPublished(published.map((event) => event.id));
    metrics.found(events.length - published.length);
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return events.length;
  };

  const loop = async () => {
    while (!stopped) {
      kicked = false;
      try {
        const relayed = await pass();
        failures = 0;
        if (relayed < batchSize) await sleep(pollMs, true);
      } catch (error) {
        failures += 1;
        const delay = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
        options.logger.warn({ err: error, retryInMs: delay }, 'outbox relay failed; retrying');
        await sleep(delay, false);
      }
    }
  };
  const running = loop();
  const pruning = options.store.prunePublished ? setInterval(() => void prune(options), options.pruneIntervalMs ?? 3_600_000) : undefined;
  pruning?.unref();
  return {
    kick: () => {
      kicked = true;
      wake?.(true);
    },
    stop: async () => {
      stopped = true;
      clearInterval(pruning);
      if (!options.metrics) metrics.stop();
      wake?.(false);
      await running;
    },
  };
}

async function prune(options: OutboxRelayOptions): Promise<void> {
  try {
    const removed = await options.store.prunePublished!(options.retentionMs ?? 7 * 24 * 3_600_000);
    if (removed > 0) options.logger.info({ removed }, 'pruned published outbox events');
  } catch (error) {
    options.logger.warn({ err: error }, 'outbox pruning failed; will try again');
  }
}
