import type { Document } from 'bson';
import { ALWAYS_REFUSED, checkFields, implemented } from '../command-fields.js';
import { keyString, withId } from '../documents.js';
import { commandError } from '../errors.js';
import { duplicateKeyError, ID_INDEX } from '../indexes.js';
import { findDocuments } from '../query.js';
import { Workspace } from '../workspace.js';
import type { CommandContext } from './context.js';

/** A pipeline's final writing stage ($out or $merge), split from the stages before it. */
export function splitOutputStage(pipeline: Document[]): { stages: Document[]; output?: Document } {
  const at = pipeline.findIndex((stage) => '$out' in stage || '$merge' in stage);
  if (at === -1) return { stages: pipeline };
  const name = Object.keys(pipeline[at] as Document)[0] as string;
  if (at !== pipeline.length - 1) throw commandError('Location40415', `${name} can only be the final stage in the pipeline`);
  return { stages: pipeline.slice(0, at), output: pipeline[at] };
}

function targetOf(context: CommandContext, spec: unknown, stage: string): string {
  if (typeof spec === 'string') return spec;
  const target = spec as Document;
  if (target.db !== undefined && target.db !== context.db) throw commandError('CommandNotSupported', `${stage} into another database is not supported by the mongo stand-in`);
  if (typeof target.coll !== 'string') throw commandError('FailedToParse', `${stage} requires a target collection name`);
  return target.coll;
}

/** Writes the results of a pipeline ending in $out (replacing the target) or $merge (upserting into it), as one commit. */
export function aggregateOutput(context: CommandContext, output: Document, results: Document[]): void {
  const stage = Object.keys(output)[0] as string;
  if (context.workspace.transactional) throw commandError('OperationNotSupportedInTransaction', `${stage} cannot be used in a transaction`);
  const workspace = new Workspace(context.persistence);
  try {
    if (stage === '$out') replaceContents(context, workspace, output.$out, results);
    else mergeInto(context, workspace, output.$merge as Document | string, results);
    workspace.commit();
  } catch (error) {
    workspace.statementFailed();
    throw error;
  }
}

function replaceContents(context: CommandContext, workspace: Workspace, spec: unknown, results: Document[]): void {
  if (typeof spec === 'object' && spec !== null) checkFields('$out', spec as Document, { ...implemented('db', 'coll'), timeseries: ALWAYS_REFUSED }, false, false);
  const coll = targetOf(context, spec, '$out');
  for (const existing of workspace.documents(context.db, coll)) workspace.remove(context.db, coll, existing._id);
  for (const document of results) workspace.insert(context.db, coll, withId(document));
}

const MERGE_FIELDS = { ...implemented('into', 'on', 'whenMatched', 'whenNotMatched'), let: ALWAYS_REFUSED };

function mergeInto(context: CommandContext, workspace: Workspace, spec: Document | string, results: Document[]): void {
  const merge = typeof spec === 'string' ? { into: spec } : spec;
  checkFields('$merge', merge, MERGE_FIELDS, false, false);
  const coll = targetOf(context, merge.into, '$merge');
  const on = mergeKeys(context, coll, merge.on);
  const whenMatched = merge.whenMatched ?? 'merge';
  const whenNotMatched = merge.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') throw commandError('CommandNotSupported', '$merge whenMatched with a pipeline is not supported by the mongo stand-in');
  for (const result of results) {
    const key = Object.fromEntries(on.map((field) => [field, result[field] ?? null]));
    const [existing] = findDocuments(workspace.documents(context.db, coll), { filter: key, limit: 1 });
    if (existing) mergeMatched(context, workspace, coll, existing, result, whenMatched);
    else if (whenNotMatched === 'insert') workspace.insert(context.db, coll, withId(result));
    else if (whenNotMatched === 'fail') throw commandError('Location13113', "$merge could not find a matching document in the target collection for at least one document in the source collection");
    else if (whenNotMatched !== 'discard') throw commandError('BadValue', `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`);
  }
}

function mergeMatched(context: CommandContext, workspace: Workspace, coll: string, existing: Document, result: Document, whenMatched: string): void {
  const { _id: resultId, ...fields } = result;
  if (resultId !== undefined && keyString(resultId) !== keyString(existing._id) && whenMatched !== 'keepExisting' && whenMatched !== 'fail') {
    throw commandError('ImmutableField', "$merge failed to update the matching document, did you attempt to modify the _id or the shard key?");
  }
  switch (whenMatched) {
    case 'merge':
      return workspace.replace(context.db, coll, { ...existing, ...fields });
    case 'replace':
      return workspace.replace(context.db, coll, { _id: existing._id, ...fields });
    case 'keepExisting':
      return;
    case 'fail':
      throw duplicateKeyError(`${context.db}.${coll}`, ID_INDEX, { _id: existing._id });
    default:
      throw commandError('BadValue', `Enumeration value '${whenMatched}' for field '$merge.whenMatched' is not a valid value.`);
  }
}

function mergeKeys(context: CommandContext, coll: string, on: unknown): string[] {
  const fields = on === undefined ? ['_id'] : Array.isArray(on) ? (on as string[]) : [on as string];
  if (fields.length === 1 && fields[0] === '_id') return fields;
  const state = context.persistence.store.collection(context.db, coll);
  const wanted = [...fields].sort().join(',');
  const unique = state?.uniqueIndexes().some((spec) => Object.keys(spec.key).sort().join(',') === wanted && !spec.partialFilterExpression && !spec.sparse);
  if (!unique) throw commandError('Location51183', 'Cannot find index to verify that join fields will be unique');
  return fields;
}
