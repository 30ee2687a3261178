import { type Document } from 'bson';
import { ALWAYS_REFUSED, checkFields, implemented, UNLESS_FALSE } from '../command-fields.js';
import { parseCollation } from '../collation.js';
import { commandError } from '../errors.js';
import { matches } from '../query.js';
import { namespaceOf, ownOptions, targetCollection, type CommandContext, type CommandHandler } from './context.js';

/** listDatabases: like MongoDB for a user without the cluster-wide listDatabases privilege, only the databases it may use. */
function listDatabases(context: CommandContext): Document {
  checkFields('listDatabases', context.command, implemented('filter', 'nameOnly', 'authorizedDatabases'), true);
  const databases = [...context.persistence.store.databases.keys()]
    .filter((name) => context.authenticator.mayUse(context.connectionId, name))
    .map((name) => ({ name, sizeOnDisk: 0, empty: false }))
    .filter((entry) => matches(context.command.filter as Document | undefined, entry));
  if (context.command.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })) };
  return { databases, totalSize: 0, totalSizeMb: 0 };
}

function listCollections(context: CommandContext): Document {
  checkFields('listCollections', context.command, implemented('filter', 'nameOnly', 'authorizedCollections', 'cursor'), true);
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

const REFUSED_CREATE_OPTIONS = ['size', 'max', 'clusteredIndex', 'timeseries', 'expireAfterSeconds', 'changeStreamPreAndPostImages', 'storageEngine', 'indexOptionDefaults', 'viewOn', 'pipeline', 'encryptedFields', 'idIndex'];
const CREATE_FIELDS = { ...implemented('validator', 'validationLevel', 'validationAction', 'collation'), capped: UNLESS_FALSE, ...Object.fromEntries(REFUSED_CREATE_OPTIONS.map((field) => [field, ALWAYS_REFUSED])) };

function create(context: CommandContext): Document {
  checkFields('create', context.command, CREATE_FIELDS, true);
  if (!parseCollation(context.command.collation, 'create.collation').simple) {
    throw commandError('CommandNotSupported', 'a collection default collation other than simple is not supported by the mongo stand-in');
  }
  const coll = targetCollection(context);
  if (context.persistence.store.collection(context.db, coll)) {
    throw commandError('NamespaceExists', `Collection ${namespaceOf(context, coll)} already exists.`);
  }
  const { collation: _collation, capped: _capped, ...options } = ownOptions(context.command);
  context.persistence.commit([{ op: 'create', db: context.db, coll, options }]);
  return {};
}

const modifiableOptions = ['validator', 'validationLevel', 'validationAction'];
const REFUSED_COLL_MOD_OPTIONS = ['index', 'expireAfterSeconds', 'changeStreamPreAndPostImages', 'timeseries', 'cappedSize', 'cappedMax', 'dryRun', 'clusteredIndex'];
const COLL_MOD_FIELDS = { ...implemented(...modifiableOptions), ...Object.fromEntries(REFUSED_COLL_MOD_OPTIONS.map((field) => [field, ALWAYS_REFUSED])) };

/** collMod: changes a collection's validator, validation level or action (the options migrations evolve). */
function collMod(context: CommandContext): Document {
  const coll = context.command.collMod as string;
  const state = context.persistence.store.collection(context.db, coll);
  if (!state) throw commandError('NamespaceNotFound', `ns does not exist: ${namespaceOf(context, coll)}`);
  checkFields('collMod', context.command, COLL_MOD_FIELDS, true);
  const changes = Object.fromEntries(modifiableOptions.filter((option) => option in context.command).map((option) => [option, context.command[option]]));
  context.persistence.commit([{ op: 'setOptions', db: context.db, coll, options: { ...state.options, ...changes } }]);
  return {};
}

function drop(context: CommandContext): Document {
  checkFields('drop', context.command, {}, true);
  const coll = targetCollection(context);
  const state = context.persistence.store.collection(context.db, coll);
  if (state) context.persistence.commit([{ op: 'drop', db: context.db, coll }]);
  return { ns: namespaceOf(context, coll), nIndexesWas: state?.indexes.length ?? 0 };
}

function dropDatabase(context: CommandContext): Document {
  checkFields('dropDatabase', context.command, {}, true);
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
