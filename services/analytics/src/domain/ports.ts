import type { ReadModelFact } from './read-model-events.js';

export type { ReportQueries } from './reports.js';

/** The event-fed read model: applies each fact once, by event id, and per entity only when its version is newer. */
export interface ReadModelWriter {
  /** Applies the fact; false when its event id was seen before (a redelivery), true otherwise. */
  apply(fact: ReadModelFact): Promise<boolean>;
  /** Whether nothing has been applied yet (a rebuild goes only into an empty store). */
  isEmpty(): Promise<boolean>;
}
