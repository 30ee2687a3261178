import type { Document } from 'bson';
import type { IndexSpec } from '../indexes.js';

/** One durable change to the data; a commit is a list of these, journaled and replayed as a unit. */
export type StoredOperation =
  | { op: 'put'; db: string; coll: string; doc: Document }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'create'; db: string; coll: string; options: Document }
  | { op: 'setOptions'; db: string; coll: string; options: Document }
  | { op: 'drop'; db: string; coll: string }
  | { op: 'dropDb'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string };
