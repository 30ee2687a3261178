/** An index-level action as Elasticsearch names it, with the index privileges that grant it (for the 403 message). */
export interface IndexAction {
  name: string;
  privileges: string[];
}

const manage = ['manage', 'all'];

/** The index-level actions the stand-in authorizes. */
export const indexActions = {
  createIndex: { name: 'indices:admin/create', privileges: ['create_index', ...manage] },
  deleteIndex: { name: 'indices:admin/delete', privileges: ['delete_index', ...manage] },
  getIndex: { name: 'indices:admin/get', privileges: ['view_index_metadata', ...manage] },
  getMapping: { name: 'indices:admin/mappings/get', privileges: ['view_index_metadata', ...manage] },
  putMapping: { name: 'indices:admin/mapping/put', privileges: manage },
  getSettings: { name: 'indices:monitor/settings/get', privileges: ['view_index_metadata', 'monitor', ...manage] },
  refresh: { name: 'indices:admin/refresh', privileges: ['maintenance', ...manage] },
  getAliases: { name: 'indices:admin/aliases/get', privileges: ['view_index_metadata', ...manage] },
  manageAliases: { name: 'indices:admin/aliases', privileges: manage },
  health: { name: 'cluster:monitor/health', privileges: ['monitor', ...manage] },
  index: { name: 'indices:data/write/index', privileges: ['create_doc', 'create', 'index', 'write', 'all'] },
  update: { name: 'indices:data/write/update', privileges: ['index', 'write', 'all'] },
  delete: { name: 'indices:data/write/delete', privileges: ['delete', 'write', 'all'] },
  deleteByQuery: { name: 'indices:data/write/delete/byquery', privileges: ['delete', 'write', 'all'] },
  get: { name: 'indices:data/read/get', privileges: ['read', 'all'] },
  multiGet: { name: 'indices:data/read/mget', privileges: ['read', 'all'] },
  search: { name: 'indices:data/read/search', privileges: ['read', 'all'] },
} satisfies Record<string, IndexAction>;

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

/**
 * Per endpoint (the first `_` segment of a route pattern, '' for `/{index}`), the action a request performs.
 * `_bulk`, `_mget` and `POST /_aliases` name their indices in the body; their handlers authorize each one.
 */
const actionsByEndpoint: Record<string, (method: string) => IndexAction | undefined> = {
  _bulk: () => undefined,
  _mget: () => undefined,
  '': (method) => (method === 'PUT' ? indexActions.createIndex : method === 'DELETE' ? indexActions.deleteIndex : indexActions.getIndex),
  _doc: (method) => (isRead(method) ? indexActions.get : method === 'DELETE' ? indexActions.delete : indexActions.index),
  _create: () => indexActions.index,
  _source: () => indexActions.get,
  _update: () => indexActions.update,
  _search: () => indexActions.search,
  _count: () => indexActions.search,
  _delete_by_query: () => indexActions.deleteByQuery,
  _mapping: (method) => (isRead(method) ? indexActions.getMapping : indexActions.putMapping),
  _settings: () => indexActions.getSettings,
  _refresh: () => indexActions.refresh,
  _alias: (method) => (isRead(method) ? indexActions.getAliases : indexActions.manageAliases),
  _aliases: (method) => (isRead(method) ? indexActions.getAliases : indexActions.manageAliases),
};

/** The action a routed request performs and the index expressions its path addresses. */
export interface RoutedIndexAccess {
  action: IndexAction;
  expressions: string[];
}

/**
 * What a route (method, pattern, path parameters) does to which index expressions, for the authorization gate;
 * undefined for cluster-level and body-addressed requests. A route without a rule here is a programming error.
 */
export function routedIndexAccess(method: string, pattern: string, params: Record<string, string>): RoutedIndexAccess | undefined {
  const segments = pattern.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return undefined;
  const endpoint = segments.find((segment) => segment.startsWith('_')) ?? '';
  const index = params['index'];
  if (endpoint === '_cluster') return index === undefined ? undefined : { action: indexActions.health, expressions: [index] };
  const actionFor = actionsByEndpoint[endpoint];
  if (!actionFor) throw new Error(`es-standin: no authorization rule for ${method} ${pattern}`);
  const action = actionFor(method);
  if (!action) return undefined;
  if (endpoint === '_alias' || endpoint === '_aliases') {
    if (index === undefined && params['name'] === undefined) return method === 'POST' ? undefined : { action, expressions: ['*'] };
    return { action, expressions: [index, params['name']].filter((name): name is string => name !== undefined) };
  }
  return { action, expressions: [index ?? '*'] };
}
