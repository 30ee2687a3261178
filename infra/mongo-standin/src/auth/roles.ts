/** A privilege action as MongoDB names it (find, insert, collMod, ...). */
export type Action = string;

/** A role granted to a user on one database (`db: 'admin'` for the cluster-wide roles). */
export interface RoleGrant {
  role: string;
  db: string;
}

const READ: Action[] = ['changeStream', 'collStats', 'dbHash', 'dbStats', 'find', 'killCursors', 'listCollections', 'listIndexes', 'listSearchIndexes'];
const READ_WRITE: Action[] = [...READ, 'convertToCapped', 'createCollection', 'createIndex', 'dropCollection', 'dropIndex', 'insert', 'remove', 'renameCollectionSameDB', 'update'];
const DB_ADMIN: Action[] = [
  'analyze', 'bypassDocumentValidation', 'collMod', 'collStats', 'compact', 'convertToCapped', 'createCollection', 'createIndex', 'dbStats',
  'dropCollection', 'dropDatabase', 'dropIndex', 'enableProfiler', 'listCollections', 'listIndexes', 'listSearchIndexes', 'planCacheIndexFilter',
  'planCacheRead', 'planCacheWrite', 'reIndex', 'renameCollectionSameDB', 'storageDetails', 'validate',
];
const USER_ADMIN: Action[] = ['changeCustomData', 'changePassword', 'createRole', 'createUser', 'dropRole', 'dropUser', 'grantRole', 'revokeRole', 'setAuthenticationRestriction', 'viewRole', 'viewUser'];

/** The database roles and the actions each grants on its database (MongoDB's built-in roles). */
const DATABASE_ROLES: Record<string, readonly Action[]> = {
  read: READ,
  readWrite: READ_WRITE,
  dbAdmin: DB_ADMIN,
  userAdmin: USER_ADMIN,
  dbOwner: [...new Set([...READ_WRITE, ...DB_ADMIN, ...USER_ADMIN])],
};

/** The admin-database roles that grant a database role on every database, plus the cluster-wide listDatabases. */
const ANY_DATABASE_ROLES: Record<string, readonly string[]> = {
  readAnyDatabase: ['read'],
  readWriteAnyDatabase: ['readWrite'],
  dbAdminAnyDatabase: ['dbAdmin'],
  userAdminAnyDatabase: ['userAdmin'],
  root: ['readWrite', 'dbAdmin', 'userAdmin'],
};

/** Databases the AnyDatabase roles leave out, as MongoDB does (root reaches them). */
const INTERNAL_DATABASES = new Set(['local', 'config']);

/** Every role name the stand-in knows. */
export function isKnownRole(grant: RoleGrant): boolean {
  if (Object.hasOwn(DATABASE_ROLES, grant.role)) return true;
  return Object.hasOwn(ANY_DATABASE_ROLES, grant.role) && grant.db === 'admin';
}

/** The actions a set of grants allows on `db`. */
export function actionsOn(grants: readonly RoleGrant[], db: string): Set<Action> {
  const actions = new Set<Action>();
  for (const grant of grants) {
    const roles = grant.db === db && Object.hasOwn(DATABASE_ROLES, grant.role) ? [grant.role] : anyDatabaseRoles(grant, db);
    for (const role of roles) for (const action of DATABASE_ROLES[role] ?? []) actions.add(action);
  }
  return actions;
}

function anyDatabaseRoles(grant: RoleGrant, db: string): readonly string[] {
  if (grant.db !== 'admin' || !Object.hasOwn(ANY_DATABASE_ROLES, grant.role)) return [];
  if (INTERNAL_DATABASES.has(db) && grant.role !== 'root') return [];
  return ANY_DATABASE_ROLES[grant.role] ?? [];
}

/** Whether the grants include a cluster-wide role (which lists every database). */
export function hasClusterWideRole(grants: readonly RoleGrant[]): boolean {
  return grants.some((grant) => grant.db === 'admin' && Object.hasOwn(ANY_DATABASE_ROLES, grant.role));
}
