import type { Document } from 'bson';
import type { Action } from './roles.js';

type ActionsOf = (command: Document) => Action[];

const fixed =
  (...actions: Action[]): ActionsOf =>
  () =>
    actions;

function updateActions(command: Document): Action[] {
  const statements = Array.isArray(command.updates) ? (command.updates as Document[]) : [];
  return statements.some((statement) => statement.upsert === true) ? ['update', 'insert'] : ['update'];
}

function findAndModifyActions(command: Document): Action[] {
  if (command.remove === true) return ['find', 'remove'];
  return command.upsert === true ? ['find', 'update', 'insert'] : ['find', 'update'];
}

function aggregateActions(command: Document): Action[] {
  const pipeline = Array.isArray(command.pipeline) ? (command.pipeline as Document[]) : [];
  const actions: Action[] = ['find'];
  if (pipeline.some((stage) => '$out' in stage)) actions.push('insert', 'remove');
  if (pipeline.some((stage) => '$merge' in stage)) actions.push('insert', 'update');
  return actions;
}

/** The privilege actions each command needs on its database, as MongoDB's command authorization checks them. */
const COMMAND_ACTIONS: Record<string, ActionsOf> = {
  find: fixed('find'),
  count: fixed('find'),
  distinct: fixed('find'),
  getMore: fixed('find'),
  aggregate: aggregateActions,
  killCursors: fixed('killCursors'),
  listCollections: fixed('listCollections'),
  listIndexes: fixed('listIndexes'),
  insert: fixed('insert'),
  update: updateActions,
  delete: fixed('remove'),
  findAndModify: findAndModifyActions,
  findandmodify: findAndModifyActions,
  create: fixed('createCollection'),
  createIndexes: fixed('createIndex'),
  collMod: fixed('collMod'),
  drop: fixed('dropCollection'),
  dropIndexes: fixed('dropIndex'),
  dropDatabase: fixed('dropDatabase'),
};

/** The actions a command needs on its database; undefined for a command the stand-in does not map (refused for safety). */
export function requiredActions(name: string, command: Document): Action[] | undefined {
  if (name === 'explain') {
    const explained = command.explain as Document | undefined;
    const inner = explained && typeof explained === 'object' ? Object.keys(explained)[0] : undefined;
    return inner && inner !== 'explain' ? requiredActions(inner, explained as Document) : undefined;
  }
  const actionsOf = Object.hasOwn(COMMAND_ACTIONS, name) ? COMMAND_ACTIONS[name] : undefined;
  if (!actionsOf) return undefined;
  const actions = actionsOf(command);
  return command.bypassDocumentValidation === true ? [...actions, 'bypassDocumentValidation'] : actions;
}
