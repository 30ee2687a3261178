import { type Document } from 'bson';
import { commandError } from '../errors.js';
import { matches } from '../query.js';
import { namespaceOf, ownOptions, targetCollection, type CommandContext, type CommandHandler } from './context.js';

/** listDatabases: like MongoDB for a user without the cluster-wide listDatabases privilege, only the databases it may use. */
function listDatabases(context: CommandContext): Document {
  const databases = [...context.persistence.store.databases.keys()]
    .filter((name) => context.authenticator.mayUse(context.connectionId, name))
    .map((name) => ({ name, sizeOnDisk: 0, empty: false }))
    .filter((entry) => matches(context.command.filter as Document | undefined, entry));
  if (context.command.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })) };
  return { databases, totalSize: 0, totalSizeMb: 0 };
}

function listCollections(context: CommandContext): Document {
  const collections = context.persistence.store.databases.get(context.db) ?? new Map();
  const entries = [...collections.entries()]
    .map(([name, state]) => ({
      name,
      type: 'collection',
      options: state.options,
      info: { readOnly: false, uuid: state.uuid },
      idIndex: state.indexes[0],
    }))
    .filter((entry) => matches(context.command.filter as Document | undefined, entry))
    .map((entry) => (context.command.nameOnly === true ? { name: entry.name, type: entry.type } : entry));
  const batchSize = (context.command.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: context.cursors.open(`${context.db}.$cmd.listCollections`, entries, batchSize) };
}

function create(context: CommandContext): Document {
  const coll = targetCollection(context);
  if (context.persistence.store.collection(context.db, coll)) {
    throw commandError('NamespaceExists', `Collection ${namespaceOf(context, coll)} already exists.`);
  }
  context.persistence.commit([{ op: 'create', db: context.db, coll, options: ownOptions(context.command) }]);
  return {};
}

const modifiableOptions = ['validator', 'validationLevel', 'validationAction'];

/** collMod: changes a collection's validator, validation level or action (the options migrations evolve). */
function collMod(context: CommandContext): Document {
  const coll = context.command.collMod as string;
  const state = context.persistence.store.collection(context.db, coll);
  if (!state) throw commandError('NamespaceNotFound', `ns does not exist: ${namespaceOf(context, coll)}`);
  const unsupported = Object.keys(ownOptions(context.command)).filter((option) => !modifiableOptions.includes(option));
  if (unsupported.length > 0) throw commandError('InvalidOptions', `collMod option not supported by this stand-in: ${unsupported.join(', ')}`);
  const changes = Object.fromEntries(modifiableOptions.filter((option) => option in context.command).map((option) => [option, context.command[option]]));
  context.persistence.commit([{ op: 'setOptions', db: context.db, coll, options: { ...state.options, ...changes } }]);
  return {};
}

function drop(context: CommandContext): Document {
  const coll = targetCollection(context);
  const state = context.persistence.store.collection(context.db, coll);
  if (state) context.persistence.commit([{ op: 'drop', db: context.db, coll }]);
  return { ns: namespaceOf(context, coll), nIndexesWas: state?.indexes.length ?? 0 };
}

function dropDatabase(context: CommandContext): Document {
  if (context.persistence.store.databases.has(context.db)) context.persistence.commit([{ op: 'dropDb', db: context.db }]);
  return { dropped: context.db };
}

/** Database and collection catalog commands. */
export const databaseCommands: Record<string, CommandHandler> = {
  listDatabases,
  listCollections,
  create,
  collMod,
  drop,
  dropDatabase,
};
