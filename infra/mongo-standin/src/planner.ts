import { Binary, ObjectId, Timestamp, type Document } from 'bson';
import { keyString } from './documents.js';
import { commandError } from './errors.js';
import type { IndexSpec } from './indexes.js';
import type { CollectionState } from './storage/collection.js';
import { BracketEdge, typeRank } from './storage/key-order.js';
import type { FieldInterval } from './storage/sorted-index.js';

/** How a query reads a collection: a full scan, or scans of one index over key intervals. */
export type QueryPlan = { stage: 'COLLSCAN' } | { stage: 'IXSCAN'; index: IndexSpec; scans: FieldInterval[][]; multikey: boolean };

interface FieldPredicate {
  points?: unknown[];
  low?: { value: unknown; inclusive: boolean };
  high?: { value: unknown; inclusive: boolean };
}

/** What a plan may use: a hint names the index; a non-simple collation rules out string keys, so it rules out indexes. */
export interface PlanOptions {
  hint?: unknown;
  simpleCollation?: boolean;
}

const MAX_SCANS = 500;
const COLLSCAN: QueryPlan = { stage: 'COLLSCAN' };

/** Picks the index that constrains the most leading fields of the filter (equality first, then one range), as MongoDB's planner would for these shapes. */
export function planQuery(state: CollectionState | undefined, filter: Document | undefined, options: PlanOptions = {}): QueryPlan {
  if (!state) return COLLSCAN;
  const predicates = fieldPredicates(filter ?? {});
  if (options.hint !== undefined) return hintedPlan(state, predicates, options.hint);
  if (options.simpleCollation === false) return COLLSCAN;
  let best: { plan: QueryPlan; score: number } | undefined;
  for (const index of state.indexes) {
    if (index.sparse === true || index.partialFilterExpression !== undefined) continue;
    const plan = indexPlan(state, index, predicates);
    if (!plan) continue;
    const score = plan.stage === 'IXSCAN' ? (plan.scans[0]?.length ?? 0) : 0;
    const better = !best || score > best.score || (score === best.score && index.unique === true);
    if (better) best = { plan, score };
  }
  return best?.plan ?? COLLSCAN;
}

/** The ids a plan reads, in index order, or undefined for a full scan. */
export function plannedIds(state: CollectionState | undefined, plan: QueryPlan): string[] | undefined {
  if (plan.stage === 'COLLSCAN' || !state) return undefined;
  const index = state.orderedIndex(plan.index.name);
  if (!index) return undefined;
  if (plan.scans.length === 1 && plan.scans[0]?.length === 0) return index.all();
  if (plan.scans.length === 1) return index.scan(plan.scans[0] as FieldInterval[]);
  return [...new Set(plan.scans.flatMap((scan) => index.scan(scan)))];
}

function hintedPlan(state: CollectionState, predicates: Map<string, FieldPredicate>, hint: unknown): QueryPlan {
  if (typeof hint === 'object' && hint !== null && '$natural' in hint) return COLLSCAN;
  const index = state.indexes.find((spec) => (typeof hint === 'string' ? spec.name === hint : keyString(spec.key) === keyString(hint)));
  if (!index) throw commandError('BadValue', 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
  return indexPlan(state, index, predicates) ?? { stage: 'IXSCAN', index, scans: [[]], multikey: state.orderedIndex(index.name)?.multikey ?? false };
}

function indexPlan(state: CollectionState, index: IndexSpec, predicates: Map<string, FieldPredicate>): QueryPlan | undefined {
  const multikey = state.orderedIndex(index.name)?.multikey ?? false;
  let scans: FieldInterval[][] = [[]];
  for (const field of Object.keys(index.key)) {
    const predicate = predicates.get(field);
    if (!predicate) break;
    if (predicate.points) {
      const points = predicate.points;
      if (scans.length * points.length > MAX_SCANS) break;
      scans = scans.flatMap((scan) => points.map((point) => [...scan, { low: point, high: point, lowInclusive: true, highInclusive: true }]));
      continue;
    }
    const interval = rangeInterval(predicate, multikey);
    scans = scans.map((scan) => [...scan, interval]);
    break;
  }
  if (scans[0]?.length === 0) return undefined;
  return { stage: 'IXSCAN', index, scans, multikey };
}

function rangeInterval(predicate: FieldPredicate, multikey: boolean): FieldInterval {
  const bound = (predicate.low ?? predicate.high) as { value: unknown };
  const rank = typeRank(bound.value);
  const low = predicate.low ?? { value: new BracketEdge(rank, false), inclusive: true };
  const useHigh = predicate.high && (!multikey || !predicate.low) && typeRank(predicate.high.value) === rank;
  const high = useHigh && predicate.high ? predicate.high : { value: new BracketEdge(rank, true), inclusive: true };
  return { low: low.value, high: high.value, lowInclusive: low.inclusive, highInclusive: high.inclusive };
}

function isIndexableValue(value: unknown): boolean {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return !Number.isNaN(value);
  return value instanceof ObjectId || value instanceof Date || value instanceof Binary || value instanceof Timestamp;
}

function isOperatorObject(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The equality and range constraints a filter puts on each top-level field (ANDed; anything else is left to the matcher). */
function fieldPredicates(filter: Document, into = new Map<string, FieldPredicate>()): Map<string, FieldPredicate> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value as Document[]) fieldPredicates(clause, into);
      continue;
    }
    if (key.startsWith('$') || into.has(key)) continue;
    const predicate = isOperatorObject(value) ? operatorPredicate(value) : isIndexableValue(value) ? { points: [value] } : undefined;
    if (predicate) into.set(key, predicate);
  }
  return into;
}

function operatorPredicate(operators: Document): FieldPredicate | undefined {
  if ('$eq' in operators && isIndexableValue(operators.$eq)) return { points: [operators.$eq] };
  const values = operators.$in as unknown;
  if (Array.isArray(values) && values.length > 0 && values.every(isIndexableValue)) return { points: uniqueValues(values) };
  const predicate: FieldPredicate = {};
  for (const [operator, inclusive, side] of [['$gt', false, 'low'], ['$gte', true, 'low'], ['$lt', false, 'high'], ['$lte', true, 'high']] as const) {
    const bound = operators[operator] as unknown;
    if (bound === undefined || bound === null || !isIndexableValue(bound)) continue;
    predicate[side] = { value: bound, inclusive };
  }
  return predicate.low || predicate.high ? predicate : undefined;
}

function uniqueValues(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of values) seen.set(keyString(value), value);
  return [...seen.values()];
}
