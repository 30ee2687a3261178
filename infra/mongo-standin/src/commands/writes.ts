import { type Document } from 'bson';
import { withId } from '../documents.js';
import { asCommandError, commandError } from '../errors.js';
import { findDocuments } from '../query.js';
import { isOperatorUpdate, unchanged, updatedDocument, upsertDocument, type UpdateSpec } from '../update.js';
import { targetCollection, type CommandContext, type CommandHandler } from './context.js';

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
}

function update(context: CommandContext): Document {
  const coll = targetCollection(context);
  const statements = (context.command.updates as UpdateStatement[] | undefined) ?? [];
  const reply = runStatements(context, statements, (statement) => applyUpdateStatement(context, coll, statement));
  return { nModified: 0, ...reply };
}

function applyUpdateStatement(context: CommandContext, coll: string, statement: UpdateStatement): StatementOutcome {
  const query = statement.q ?? {};
  if (statement.multi && !isOperatorUpdate(statement.u) && !Array.isArray(statement.u)) {
    throw commandError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  const options = { arrayFilters: statement.arrayFilters, query };
  const matched = findDocuments(context.workspace.documents(context.db, coll), { filter: query, limit: statement.multi ? 0 : 1 });
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
}

function remove(context: CommandContext): Document {
  const coll = targetCollection(context);
  const statements = (context.command.deletes as DeleteStatement[] | undefined) ?? [];
  return runStatements(context, statements, (statement) => {
    const matched = findDocuments(context.workspace.documents(context.db, coll), { filter: statement.q ?? {}, limit: statement.limit === 1 ? 1 : 0 });
    for (const document of matched) context.workspace.remove(context.db, coll, document._id);
    return { n: matched.length };
  });
}

/** The insert, update and delete write commands. */
export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
