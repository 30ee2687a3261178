import { Long, type Document } from 'bson';
import { checkFields, implemented } from '../command-fields.js';
import { SIMPLE } from '../collation.js';
import { commandError } from '../errors.js';
import { runPipeline } from '../query.js';
import { aggregateOutput, splitOutputStage } from './aggregate-output.js';
import { namespaceOf, targetCollection, type CommandContext, type CommandHandler } from './context.js';
import { explainReply } from './explain.js';
import { findSelection, select, selectionOptions, type Selection } from './selection.js';

function documentsOf(context: CommandContext, coll: string): Document[] {
  return context.workspace.documents(context.db, coll);
}

function find(context: CommandContext): Document {
  const { command } = context;
  const coll = targetCollection(context);
  const results = select(context, coll, findSelection(command));
  const singleBatch = command.singleBatch === true || (typeof command.limit === 'number' && command.limit < 0);
  return { cursor: context.cursors.open(namespaceOf(context, coll), results, command.batchSize as number | undefined, singleBatch) };
}

/** Refuses a getMore whose namespace is not the cursor's, as MongoDB does, so a cursor is only read through its own database. */
function checkCursorNamespace(context: CommandContext, id: number): void {
  const cursorNamespace = context.cursors.namespaceOf(id);
  const requested = namespaceOf(context, String(context.command.collection));
  if (cursorNamespace !== undefined && cursorNamespace !== requested) {
    throw commandError('Unauthorized', `Requested getMore on namespace '${requested}', but cursor belongs to a different namespace ${cursorNamespace}`);
  }
}

function getMore(context: CommandContext): Document {
  checkFields('getMore', context.command, implemented('collection', 'batchSize'), true);
  const id = Number(context.command.getMore);
  checkCursorNamespace(context, id);
  const cursor = context.cursors.next(id, context.command.batchSize as number | undefined);
  if (!cursor) throw commandError('CursorNotFound', `cursor id ${id} not found`);
  return { cursor };
}

function killCursors(context: CommandContext): Document {
  checkFields('killCursors', context.command, implemented('cursors'), true);
  const ids = ((context.command.cursors as unknown[] | undefined) ?? []).map(Number);
  const ownDatabase = `${context.db}.`;
  const killed = ids.filter((id) => context.cursors.namespaceOf(id)?.startsWith(ownDatabase) === true && context.cursors.kill(id));
  const notFound = ids.filter((id) => !killed.includes(id));
  return { cursorsKilled: killed.map((id) => Long.fromNumber(id)), cursorsNotFound: notFound.map((id) => Long.fromNumber(id)), cursorsAlive: [], cursorsUnknown: [] };
}

const AGGREGATE_FIELDS = implemented('pipeline', 'cursor', 'explain', 'allowDiskUse', 'collation', 'hint', 'let', 'bypassDocumentValidation');

/** The leading $match of a pipeline: the part an index can serve. */
function leadingMatch(pipeline: Document[]): Document | undefined {
  const first = pipeline[0];
  return first && '$match' in first ? (first.$match as Document) : undefined;
}

const COLLATION_NEUTRAL_STAGES = new Set(['$skip', '$limit', '$project', '$addFields', '$set', '$unset', '$count', '$sort']);

/** Under a non-simple collation, only the leading $match and stages whose result the collation cannot change are implemented. */
function checkCollatedPipeline(stages: Document[]): void {
  for (const [at, stage] of stages.entries()) {
    const name = Object.keys(stage)[0] as string;
    const groupKey = name === '$group' ? ((stage.$group as Document)._id as unknown) : '$';
    const constantGroup = groupKey === null || (typeof groupKey !== 'string' && typeof groupKey !== 'object');
    if ((at === 0 && name === '$match') || COLLATION_NEUTRAL_STAGES.has(name) || constantGroup) continue;
    throw commandError('CommandNotSupported', `aggregate stage ${name} with a non-simple collation is not supported by the mongo stand-in`);
  }
}

function aggregate(context: CommandContext): Document {
  const { command } = context;
  checkFields('aggregate', command, AGGREGATE_FIELDS, true);
  if (!Array.isArray(command.pipeline)) throw commandError('TypeMismatch', "BSON field 'aggregate.pipeline' is missing or not an array");
  if (command.cursor === undefined && command.explain !== true) {
    throw commandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const options = selectionOptions(command, 'aggregate');
  const { stages, output } = splitOutputStage(command.pipeline as Document[]);
  if (!options.collation.simple) checkCollatedPipeline(stages);
  const collectionLevel = command.aggregate === 1;
  const coll = collectionLevel ? '' : targetCollection(context);
  const match = leadingMatch(stages);
  const selection: Selection = { filter: match, hint: command.hint, ...options };
  if (command.explain === true) return explainReply(context, coll, selection, { pipeline: stages });
  const source = collectionLevel ? [] : match ? select(context, coll, selection) : documentsOf(context, coll);
  const results = runPipeline(source, match ? stages.slice(1) : stages, (name) => documentsOf(context, name), options);
  const ns = collectionLevel ? `${context.db}.$cmd.aggregate` : namespaceOf(context, coll);
  if (output) {
    aggregateOutput(context, output, results);
    return { cursor: { firstBatch: [], id: Long.fromNumber(0), ns } };
  }
  const batchSize = (command.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: context.cursors.open(ns, results, batchSize) };
}

function count(context: CommandContext): Document {
  const { command } = context;
  checkFields('count', command, implemented('query', 'limit', 'skip', 'hint', 'collation'), true);
  const results = select(context, targetCollection(context), {
    filter: command.query as Document | undefined,
    skip: command.skip as number | undefined,
    limit: command.limit as number | undefined,
    hint: command.hint,
    ...selectionOptions(command, 'count'),
  });
  return { n: results.length };
}

function distinct(context: CommandContext): Document {
  const { command } = context;
  checkFields('distinct', command, implemented('key', 'query', 'collation', 'hint'), true);
  if (typeof command.key !== 'string') throw commandError('TypeMismatch', "BSON field 'distinct.key' is missing or not a string");
  const options = selectionOptions(command, 'distinct');
  if (!options.collation.simple) throw commandError('CommandNotSupported', 'distinct with a non-simple collation is not supported by the mongo stand-in');
  const coll = targetCollection(context);
  const matched = select(context, coll, { filter: (command.query as Document | undefined) ?? {}, hint: command.hint, collation: SIMPLE });
  const pipeline = [{ $project: { _id: 0, value: `$${command.key}` } }, { $unwind: '$value' }, { $group: { _id: '$value' } }];
  const values = runPipeline(matched, pipeline, () => []).map((entry) => entry._id as unknown);
  return { values };
}

/** Query commands and cursor paging. */
export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, aggregate, count, distinct };
