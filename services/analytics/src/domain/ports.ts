import type { ReadModelFact } from './read-model-events.js';

export type { ReportQueries } from './reports.js';

/** The event-fed read model: applies each fact once, by event id, and each entity version once. */
export interface ReadModelWriter {
  /**
   * Applies the facts together, all or none: a fact whose event id was seen before (earlier in the batch or in an
   * earlier one: a redelivery) is skipped. Answers how many were applied.
   */
  apply(facts: readonly ReadModelFact[]): Promise<number>;
  /** Whether nothing has been applied yet (a rebuild goes only into an empty store). */
  isEmpty(): Promise<boolean>;
}
