import type { Logger } from './server.js';

/** When a command counts as slow, and when one still unanswered is reported while it runs. */
export interface SlowOperationOptions {
  /** An answered command that took at least this long is logged, as by MongoDB's slow query log (`slowms`, 100 ms). */
  readonly slowMs: number;
  /** A command still unanswered after this long is logged once while it runs, with what durability is waiting for. */
  readonly stuckMs: number;
}

export const SLOW_OPERATION_DEFAULTS: SlowOperationOptions = { slowMs: 100, stuckMs: 5_000 };

interface RunningCommand {
  readonly name: string;
  readonly db: string;
  readonly connectionId: number;
  readonly startedAt: number;
  executedAt?: number;
  reported: boolean;
}

/**
 * The commands being answered, from their arrival at the dispatcher to their reply: logs each slow one once answered,
 * and (checked every second) each one still unanswered after `stuckMs`, with the state of the journal it waits for.
 * Every command answers without waiting on another (no awaitable hello, no lock waits), so a slow one is the journal's
 * disk or a busy process.
 */
export class SlowOperationLog {
  private readonly running = new Map<number, RunningCommand>();
  private nextId = 1;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly durability: () => string,
    private readonly options: SlowOperationOptions = SLOW_OPERATION_DEFAULTS,
  ) {
    this.sweeper = setInterval(() => this.reportUnanswered(), Math.min(1_000, options.stuckMs)).unref();
  }

  /** Registers a command the dispatcher starts; returns its handle for `end`. */
  begin(name: string, db: string, connectionId: number): number {
    const id = this.nextId++;
    this.running.set(id, { name, db, connectionId, startedAt: performance.now(), reported: false });
    return id;
  }

  /** Registers that a command has run and waits only for its writes to be durable. */
  executed(id: number): void {
    const command = this.running.get(id);
    if (command) command.executedAt = performance.now();
  }

  /** Registers a command's reply (or its failure), logging it when it was slow: how long it ran, and waited for the journal. */
  end(id: number): void {
    const command = this.running.get(id);
    if (!command) return;
    this.running.delete(id);
    const now = performance.now();
    const elapsedMs = now - command.startedAt;
    if (elapsedMs < this.options.slowMs) return;
    const executedAt = command.executedAt ?? now;
    const split = `${Math.round(executedAt - command.startedAt)} ms running, ${Math.round(now - executedAt)} ms waiting for the journal`;
    this.log(`conn${command.connectionId}: slow query: ${command.name} on ${command.db} took ${Math.round(elapsedMs)} ms (${split})`);
  }

  /** Stops checking for unanswered commands. */
  close(): void {
    clearInterval(this.sweeper);
  }

  private reportUnanswered(): void {
    const now = performance.now();
    for (const command of this.running.values()) {
      if (command.reported || now - command.startedAt < this.options.stuckMs) continue;
      command.reported = true;
      const phase = command.executedAt === undefined ? 'still running' : 'waiting for the journal';
      this.log(`conn${command.connectionId}: ${command.name} on ${command.db} unanswered after ${Math.round(now - command.startedAt)} ms, ${phase}; ${this.durability()}`);
    }
  }
}
