import { type Document } from 'bson';
import { withId } from '../documents.js';
import { asCommandError, commandError } from '../errors.js';
import { ALWAYS_REFUSED, checkFields, implemented } from '../command-fields.js';
import { isOperatorUpdate, unchanged, updatedDocument, upsertDocument, type UpdateSpec } from '../update.js';
import { targetCollection, type CommandContext, type CommandHandler } from './context.js';
import { select, selectionOptions } from './selection.js';

interface StatementOutcome {
  n: number;
  nModified?: number;
  upsertedId?: unknown;
}

/** Runs each statement as its own atomic write, collecting writeErrors (a transient transaction error fails the whole command); an ordered batch stops at the first error. */
function runStatements<T>(context: CommandContext, statements: T[], run: (statement: T) => StatementOutcome): Document {
  const reply: Document = { n: 0 };
  const writeErrors: Document[] = [];
  const ordered = context.command.ordered !== false;
  statements.forEach((statement, index) => {
    if (writeErrors.length > 0 && (ordered || context.workspace.transactional)) return;
    try {
      accumulate(reply, index, run(statement));
      context.workspace.statementDone();
    } catch (error) {
      context.workspace.statementFailed();
      const failure = asCommandError(error);
      if (failure.errorLabels.length > 0) throw failure;
      writeErrors.push(failure.toWriteError(index));
    }
  });
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

function accumulate(reply: Document, index: number, outcome: StatementOutcome): void {
  reply.n = (reply.n as number) + outcome.n;
  if (outcome.nModified !== undefined) reply.nModified = ((reply.nModified as number | undefined) ?? 0) + outcome.nModified;
  if (outcome.upsertedId !== undefined) reply.upserted = [...((reply.upserted as Document[] | undefined) ?? []), { index, _id: outcome.upsertedId }];
}

function insert(context: CommandContext): Document {
  checkFields('insert', context.command, implemented('documents', 'ordered', 'bypassDocumentValidation'), true);
  const coll = targetCollection(context);
  const documents = (context.command.documents as Document[] | undefined) ?? [];
  return runStatements(context, documents, (document) => {
    context.workspace.insert(context.db, coll, withId(document));
    return { n: 1 };
  });
}

interface UpdateStatement {
  q?: Document;
  u: UpdateSpec;
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
  hint?: unknown;
  collation?: Document;
}

const UPDATE_STATEMENT_FIELDS = { ...implemented('q', 'u', 'multi', 'upsert', 'arrayFilters', 'sort', 'hint', 'collation'), c: ALWAYS_REFUSED };

function update(context: CommandContext): Document {
  checkFields('update', context.command, implemented('updates', 'ordered', 'bypassDocumentValidation', 'let'), true);
  const coll = targetCollection(context);
  const statements = (context.command.updates as UpdateStatement[] | undefined) ?? [];
  for (const statement of statements) checkFields('update.updates', statement, UPDATE_STATEMENT_FIELDS, false, false);
  const reply = runStatements(context, statements, (statement) => applyUpdateStatement(context, coll, statement));
  return { nModified: 0, ...reply };
}

function applyUpdateStatement(context: CommandContext, coll: string, statement: UpdateStatement): StatementOutcome {
  const query = statement.q ?? {};
  if (statement.multi && !isOperatorUpdate(statement.u) && !Array.isArray(statement.u)) {
    throw commandError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  if (statement.multi && statement.sort) throw commandError('InvalidOptions', 'Cannot specify sort with multi=true');
  const selection = { filter: query, sort: statement.sort, hint: statement.hint, limit: statement.multi ? 0 : 1, ...selectionOptions(context.command, 'update.updates', statement.collation) };
  const options = { arrayFilters: statement.arrayFilters, query, variables: selection.variables, collated: !selection.collation.simple };
  const matched = select(context, coll, selection);
  if (matched.length === 0 && statement.upsert) {
    const inserted = upsertDocument(query, statement.u, options);
    context.workspace.insert(context.db, coll, inserted);
    return { n: 1, nModified: 0, upsertedId: inserted._id };
  }
  let modified = 0;
  for (const original of matched) {
    context.workspace.claim(context.db, coll, original._id);
    const updated = updatedDocument(original, statement.u, options);
    if (unchanged(original, updated)) continue;
    context.workspace.replace(context.db, coll, updated);
    modified += 1;
  }
  return { n: matched.length, nModified: modified };
}

interface DeleteStatement {
  q?: Document;
  limit?: number;
  hint?: unknown;
  collation?: Document;
}

function remove(context: CommandContext): Document {
  checkFields('delete', context.command, implemented('deletes', 'ordered', 'let'), true);
  const coll = targetCollection(context);
  const statements = (context.command.deletes as DeleteStatement[] | undefined) ?? [];
  for (const statement of statements) checkFields('delete.deletes', statement, implemented('q', 'limit', 'hint', 'collation'), false, false);
  return runStatements(context, statements, (statement) => {
    const options = selectionOptions(context.command, 'delete.deletes', statement.collation);
    const matched = select(context, coll, { filter: statement.q ?? {}, hint: statement.hint, limit: statement.limit === 1 ? 1 : 0, ...options });
    for (const document of matched) context.workspace.remove(context.db, coll, document._id);
    return { n: matched.length };
  });
}

/** The insert, update and delete write commands. */
export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
