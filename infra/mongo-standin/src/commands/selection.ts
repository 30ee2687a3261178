import type { Document } from 'bson';
import { ALWAYS_REFUSED, checkFields, implemented, UNLESS_FALSE } from '../command-fields.js';
import { checkCollatedFilter, parseCollation, type Collation } from '../collation.js';
import { planQuery, type QueryPlan } from '../planner.js';
import { findDocuments, letVariables, type FindSpec } from '../query.js';
import type { CommandContext } from './context.js';

/** A read as commands describe it: what to select, through which index, compared how, with which variables. */
export interface Selection extends FindSpec {
  hint?: unknown;
  collation: Collation;
  variables?: Document;
}

/** The selection fields shared by commands: collation (validated, at `path`) and `let`. */
export function selectionOptions(command: Document, path: string, collation: unknown = command.collation): Pick<Selection, 'collation' | 'variables'> {
  return { collation: parseCollation(collation, `${path}.collation`), variables: letVariables(command.let) };
}

/** The plan a selection reads the collection with. */
export function planSelection(context: CommandContext, coll: string, selection: Selection): QueryPlan {
  checkCollatedFilter(selection.filter, selection.collation);
  return planQuery(context.persistence.store.collection(context.db, coll), selection.filter, { hint: selection.hint, simpleCollation: selection.collation.simple });
}

/** The documents a selection yields in the command's workspace, read through the chosen index. */
export function select(context: CommandContext, coll: string, selection: Selection): Document[] {
  const plan = planSelection(context, coll, selection);
  return findDocuments(context.workspace.documents(context.db, coll, plan), selection, selection);
}

const FIND_FIELDS = {
  ...implemented('filter', 'sort', 'projection', 'hint', 'skip', 'limit', 'batchSize', 'singleBatch', 'let', 'collation', 'allowDiskUse'),
  ...Object.fromEntries(['noCursorTimeout', 'returnKey', 'showRecordId', 'tailable', 'awaitData', 'oplogReplay', 'allowPartialResults'].map((field) => [field, UNLESS_FALSE])),
  min: ALWAYS_REFUSED,
  max: ALWAYS_REFUSED,
  readOnce: UNLESS_FALSE,
  requestResumeToken: UNLESS_FALSE,
  resumeAfter: ALWAYS_REFUSED,
};

/** The selection a find command describes (validated). */
export function findSelection(command: Document): Selection {
  checkFields('find', command, FIND_FIELDS, true);
  return {
    filter: command.filter as Document | undefined,
    sort: command.sort as Document | undefined,
    skip: command.skip as number | undefined,
    limit: command.limit as number | undefined,
    projection: command.projection as Document | undefined,
    hint: command.hint,
    ...selectionOptions(command, 'find'),
  };
}

