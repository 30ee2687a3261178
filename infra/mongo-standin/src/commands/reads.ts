import { Long, type Document } from 'bson';
import { commandError } from '../errors.js';
import { findDocuments, runPipeline } from '../query.js';
import { namespaceOf, targetCollection, type CommandContext, type CommandHandler } from './context.js';

function documentsOf(context: CommandContext, coll: string): Document[] {
  return context.workspace.documents(context.db, coll);
}

function find(context: CommandContext): Document {
  const { command } = context;
  const coll = targetCollection(context);
  const results = findDocuments(documentsOf(context, coll), {
    filter: command.filter as Document | undefined,
    sort: command.sort as Document | undefined,
    skip: command.skip as number | undefined,
    limit: command.limit as number | undefined,
    projection: command.projection as Document | undefined,
  });
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
  const id = Number(context.command.getMore);
  checkCursorNamespace(context, id);
  const cursor = context.cursors.next(id, context.command.batchSize as number | undefined);
  if (!cursor) throw commandError('CursorNotFound', `cursor id ${id} not found`);
  return { cursor };
}

function killCursors(context: CommandContext): Document {
  const ids = ((context.command.cursors as unknown[] | undefined) ?? []).map(Number);
  const ownDatabase = `${context.db}.`;
  const killed = ids.filter((id) => context.cursors.namespaceOf(id)?.startsWith(ownDatabase) === true && context.cursors.kill(id));
  const notFound = ids.filter((id) => !killed.includes(id));
  return { cursorsKilled: killed.map((id) => Long.fromNumber(id)), cursorsNotFound: notFound.map((id) => Long.fromNumber(id)), cursorsAlive: [], cursorsUnknown: [] };
}

function aggregate(context: CommandContext): Document {
  const { command } = context;
  const pipeline = (command.pipeline as Document[] | undefined) ?? [];
  const source = command.aggregate === 1 ? [] : documentsOf(context, targetCollection(context));
  const results = runPipeline(source, pipeline, (name) => documentsOf(context, name));
  const ns = command.aggregate === 1 ? `${context.db}.$cmd.aggregate` : namespaceOf(context, targetCollection(context));
  const batchSize = (command.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: context.cursors.open(ns, results, batchSize) };
}

function count(context: CommandContext): Document {
  const { command } = context;
  const results = findDocuments(documentsOf(context, targetCollection(context)), {
    filter: command.query as Document | undefined,
    skip: command.skip as number | undefined,
    limit: command.limit as number | undefined,
  });
  return { n: results.length };
}

function distinct(context: CommandContext): Document {
  const { command } = context;
  if (typeof command.key !== 'string') throw commandError('TypeMismatch', "BSON field 'distinct.key' is missing or not a string");
  const pipeline = [
    { $match: (command.query as Document | undefined) ?? {} },
    { $project: { _id: 0, value: `$${command.key}` } },
    { $unwind: '$value' },
    { $group: { _id: '$value' } },
  ];
  const values = runPipeline(documentsOf(context, targetCollection(context)), pipeline, () => []).map((entry) => entry._id as unknown);
  return { values };
}

/** Query commands and cursor paging. */
export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, aggregate, count, distinct };
