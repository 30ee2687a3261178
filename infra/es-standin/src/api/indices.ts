import { EsError } from '../errors.js';
import { indicesOptions } from '../http/parameters.js';
import type { Router } from '../http/router.js';
import type { RequestContext } from '../http/request-context.js';
import type { MappingJson } from '../mapping/mappings.js';
import type { CreateIndexBody, EsIndex } from '../store/es-index.js';

const acknowledged = { status: 200, body: { acknowledged: true } };
const adminParameters = ['timeout', 'master_timeout'];
const readParameters = [...indicesOptions, 'master_timeout'];

function aliasesOf(index: EsIndex) {
  return Object.fromEntries(index.aliases);
}

function existsReply(context: RequestContext) {
  try {
    return { status: context.cluster.resolve(context.param('index'), context.resolveOptions()).length > 0 ? 200 : 404 };
  } catch (error) {
    if (error instanceof EsError && error.status === 404) return { status: 404 };
    throw error;
  }
}

function createIndex(context: RequestContext) {
  const name = context.param('index');
  const body = context.jsonObject() as CreateIndexBody;
  context.cluster.createIndex(name, body);
  return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: name } };
}

function refreshReply(context: RequestContext) {
  const count = context.cluster.resolve(context.params['index'], context.resolveOptions()).length;
  return { status: 200, body: { _shards: { total: count * 2, successful: count, failed: 0 } } };
}

/** Index management: create, exists, delete, get, mapping, settings, refresh. */
export function registerIndexRoutes(router: Router): void {
  router.on('PUT', '/{index}', createIndex, adminParameters);
  router.on('HEAD', '/{index}', existsReply, readParameters);
  router.on(
    'DELETE',
    '/{index}',
    (context) => {
      context.cluster.deleteIndices(context.param('index'), context.resolveOptions({ ignoreUnavailable: false, allowNoIndices: true, expandWildcards: 'open' }));
      return acknowledged;
    },
    [...adminParameters, ...indicesOptions],
  );
  router.on('GET', '/{index}', (context) => ({
    status: 200,
    body: Object.fromEntries(
      context.cluster.resolve(context.param('index'), context.resolveOptions()).map((index) => [
        index.name,
        { aliases: aliasesOf(index), mappings: index.mappings.toJson(), settings: { index: index.settings } },
      ]),
    ),
  }), readParameters);
  const getMapping = (context: RequestContext) => ({
    status: 200,
    body: Object.fromEntries(context.cluster.resolve(context.params['index'], context.resolveOptions()).map((index) => [index.name, { mappings: index.mappings.toJson() }])),
  });
  router.on('GET', '/_mapping', getMapping, readParameters).on('GET', '/{index}/_mapping', getMapping, readParameters);
  router.on(
    ['PUT', 'POST'],
    '/{index}/_mapping',
    (context) => {
      const update = context.jsonObject() as MappingJson;
      for (const index of context.cluster.resolve(context.param('index'), context.resolveOptions())) index.putMapping(update);
      return acknowledged;
    },
    [...adminParameters, ...indicesOptions],
  );
  const getSettings = (context: RequestContext) => ({
    status: 200,
    body: Object.fromEntries(context.cluster.resolve(context.params['index'], context.resolveOptions()).map((index) => [index.name, { settings: { index: index.settings } }])),
  });
  router.on('GET', '/_settings', getSettings, readParameters).on('GET', '/{index}/_settings', getSettings, readParameters);
  router.on(['GET', 'POST'], '/_refresh', refreshReply, indicesOptions).on(['GET', 'POST'], '/{index}/_refresh', refreshReply, indicesOptions);
}
