import { type Document } from 'bson';
import { commandError } from '../errors.js';
import { checkFields, implemented } from '../command-fields.js';
import { findDocuments } from '../query.js';
import { updatedDocument, upsertDocument, type UpdateSpec } from '../update.js';
import { targetCollection, type CommandContext, type CommandHandler } from './context.js';
import { select, selectionOptions } from './selection.js';

const FIELDS = implemented('query', 'sort', 'remove', 'update', 'new', 'fields', 'upsert', 'bypassDocumentValidation', 'collation', 'arrayFilters', 'hint', 'let');

interface Modification {
  value: Document | null;
  lastErrorObject: Document;
}

function findAndModify(context: CommandContext): Document {
  checkFields(Object.keys(context.command)[0] as string, context.command, FIELDS, true);
  const coll = targetCollection(context);
  try {
    const outcome = modify(context, coll);
    context.workspace.statementDone();
    return { lastErrorObject: outcome.lastErrorObject, value: project(outcome.value, context.command.fields as Document | undefined) };
  } catch (error) {
    context.workspace.statementFailed();
    throw error;
  }
}

function modify(context: CommandContext, coll: string): Modification {
  const { command, workspace, db } = context;
  const query = (command.query as Document | undefined) ?? {};
  const selection = { filter: query, sort: command.sort as Document | undefined, hint: command.hint, limit: 1, ...selectionOptions(command, 'findAndModify') };
  const [found] = select(context, coll, selection);
  if (found) workspace.claim(db, coll, found._id);
  if (command.remove === true) {
    if (found) workspace.remove(db, coll, found._id);
    return { value: found ?? null, lastErrorObject: { n: found ? 1 : 0 } };
  }
  const spec = command.update as UpdateSpec | undefined;
  if (!spec) throw commandError('FailedToParse', 'Either an update or remove=true must be specified');
  const options = { arrayFilters: command.arrayFilters as Document[] | undefined, query, variables: selection.variables, collated: !selection.collation.simple };
  if (found) {
    const updated = updatedDocument(found, spec, options);
    workspace.replace(db, coll, updated);
    return { value: command.new === true ? updated : found, lastErrorObject: { n: 1, updatedExisting: true } };
  }
  if (command.upsert !== true) return { value: null, lastErrorObject: { n: 0, updatedExisting: false } };
  const inserted = upsertDocument(query, spec, options);
  workspace.insert(db, coll, inserted);
  return { value: command.new === true ? inserted : null, lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id } };
}

function project(value: Document | null, fields: Document | undefined): Document | null {
  if (!value || !fields || Object.keys(fields).length === 0) return value;
  return findDocuments([value], { projection: fields })[0] ?? null;
}

/** The atomic find-and-modify command. */
export const findAndModifyCommands: Record<string, CommandHandler> = { findAndModify, findandmodify: findAndModify };
