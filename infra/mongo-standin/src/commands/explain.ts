import type { Document } from 'bson';
import { checkFields, implemented } from '../command-fields.js';
import { commandError } from '../errors.js';
import type { QueryPlan } from '../planner.js';
import { BracketEdge } from '../storage/key-order.js';
import { findDocuments } from '../query.js';
import { REPORTED_VERSION } from './handshake.js';
import { namespaceOf, targetCollection, type CommandContext, type CommandHandler } from './context.js';
import { findSelection, planSelection, type Selection } from './selection.js';

function scanStage(plan: QueryPlan, filter: Document | undefined): Document {
  if (plan.stage === 'COLLSCAN') return { stage: 'COLLSCAN', filter: filter ?? {}, direction: 'forward' };
  const fields = Object.keys(plan.index.key);
  const indexBounds = Object.fromEntries(fields.map((field, at) => [field, boundsOf(plan, at)]));
  const ixscan = { stage: 'IXSCAN', keyPattern: plan.index.key, indexName: plan.index.name, isMultiKey: plan.multikey, isUnique: plan.index.unique === true || plan.index.name === '_id_', direction: 'forward', indexBounds };
  return { stage: 'FETCH', ...(filter && Object.keys(filter).length > 0 ? { filter } : {}), inputStage: ixscan };
}

function boundsOf(plan: Extract<QueryPlan, { stage: 'IXSCAN' }>, at: number): string[] {
  const rendered = plan.scans.map((scan) => {
    const interval = scan[at];
    if (!interval) return '[MinKey, MaxKey]';
    const show = (value: unknown): string => (value instanceof BracketEdge ? (value.high ? 'inf' : '-inf') : JSON.stringify(value));
    return `${interval.lowInclusive ? '[' : '('}${show(interval.low)}, ${show(interval.high)}${interval.highInclusive ? ']' : ')'}`;
  });
  return [...new Set(rendered)];
}

function wrap(stage: Document, selection: Selection): Document {
  let plan = stage;
  if (selection.sort && Object.keys(selection.sort).length > 0) plan = { stage: 'SORT', sortPattern: selection.sort, inputStage: plan };
  if (selection.skip) plan = { stage: 'SKIP', skipAmount: selection.skip, inputStage: plan };
  if (selection.limit) plan = { stage: 'LIMIT', limitAmount: Math.abs(selection.limit), inputStage: plan };
  if (selection.projection && Object.keys(selection.projection).length > 0) plan = { stage: 'PROJECTION_DEFAULT', transformBy: selection.projection, inputStage: plan };
  return plan;
}

/** The explain output of a read: queryPlanner.winningPlan names the index scanned (IXSCAN) or a COLLSCAN; executionStats counts what it read. */
export function explainReply(context: CommandContext, coll: string, selection: Selection, extra: { pipeline?: Document[]; verbosity?: string } = {}): Document {
  const plan = planSelection(context, coll, selection);
  const queryPlanner = {
    namespace: namespaceOf(context, coll),
    indexFilterSet: false,
    parsedQuery: selection.filter ?? {},
    winningPlan: wrap(scanStage(plan, selection.filter), selection),
    rejectedPlans: [],
  };
  const examined = context.workspace.documents(context.db, coll, plan);
  const returned = findDocuments(examined, selection, selection);
  const executionStats = { executionSuccess: true, nReturned: returned.length, executionTimeMillis: 0, totalKeysExamined: plan.stage === 'COLLSCAN' ? 0 : examined.length, totalDocsExamined: examined.length };
  const reply: Document = { explainVersion: '1', queryPlanner, serverInfo: { host: context.server.address, version: REPORTED_VERSION }, ok: 1 };
  if (extra.verbosity !== 'queryPlanner') reply.executionStats = executionStats;
  if (extra.pipeline && extra.pipeline.length > 1) reply.stages = [{ $cursor: { queryPlanner } }, ...extra.pipeline.slice(1)];
  return reply;
}

function innerSelection(name: string, inner: Document): Selection | undefined {
  switch (name) {
    case 'find':
      return undefined;
    case 'count':
      return { filter: inner.query as Document | undefined, hint: inner.hint, collation: { simple: true } };
    case 'distinct':
      return { filter: inner.query as Document | undefined, hint: inner.hint, collation: { simple: true } };
    case 'findAndModify':
      return { filter: inner.query as Document | undefined, sort: inner.sort as Document | undefined, hint: inner.hint, collation: { simple: true } };
    case 'update':
    case 'delete': {
      const statements = (inner.updates ?? inner.deletes) as Document[] | undefined;
      const first = statements?.[0];
      return { filter: first?.q as Document | undefined, hint: first?.hint, collation: { simple: true } };
    }
    default:
      throw commandError('CommandNotSupported', `explain of ${name} is not supported by the mongo stand-in`);
  }
}

function explain(context: CommandContext): Document {
  checkFields('explain', context.command, implemented('verbosity'), true);
  const inner = context.command.explain as Document | undefined;
  if (!inner || typeof inner !== 'object') throw commandError('FailedToParse', 'explain command requires a nested object');
  const name = Object.keys(inner)[0] ?? '';
  const verbosity = (context.command.verbosity as string | undefined) ?? 'allPlansExecution';
  const innerContext = { ...context, command: inner };
  const coll = targetCollection(innerContext);
  if (name === 'aggregate') {
    const pipeline = (inner.pipeline as Document[] | undefined) ?? [];
    const first = pipeline[0];
    const filter = first && '$match' in first ? (first.$match as Document) : undefined;
    return explainReply(innerContext, coll, { filter, hint: inner.hint, collation: { simple: true } }, { pipeline, verbosity });
  }
  const selection = name === 'find' ? findSelection(inner) : innerSelection(name, inner);
  return explainReply(innerContext, coll, selection as Selection, { verbosity });
}

/** The explain command. */
export const explainCommands: Record<string, CommandHandler> = { explain };
