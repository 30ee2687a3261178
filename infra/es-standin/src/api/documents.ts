import { EsError, parsingError } from '../errors.js';
import type { Router } from '../http/router.js';
import type { Reply, RequestContext } from '../http/request-context.js';
import { parseSourceFilter, filterSource } from '../search/source-filter.js';
import type { EsIndex } from '../store/es-index.js';
import { isObject } from '../search/query/clause-body.js';
import { indexActions } from '../security/index-actions.js';
import { deleteDocument, indexDocument, isForcedRefresh, updateDocument, writeConditions, writeReplyBody, writeStatus, type CompletedWrite, type WriteTarget } from './document-writes.js';

function conditionsOf(context: RequestContext, opType?: 'create') {
  const conditions = writeConditions((key) => context.string(key));
  return opType ? { ...conditions, opType } : conditions;
}

function reply(context: RequestContext, write: CompletedWrite): Reply {
  return { status: writeStatus(write.result), body: writeReplyBody(write, isForcedRefresh(context.string('refresh'))) };
}

function writeTarget(context: RequestContext): WriteTarget {
  return { routing: context.string('routing'), requireAlias: context.flag('require_alias') ?? false };
}

function getReply(index: EsIndex, id: string, sourceFilter: ReturnType<typeof parseSourceFilter>) {
  const doc = index.documents.get(id);
  if (!doc) return { status: 404, body: { _index: index.name, _id: id, found: false } };
  const source = filterSource(doc.source, sourceFilter);
  return {
    status: 200,
    body: {
      _index: index.name,
      _id: id,
      _version: doc.version,
      _seq_no: doc.seqNo,
      _primary_term: doc.primaryTerm,
      ...(doc.routing === undefined ? {} : { _routing: doc.routing }),
      found: true,
      ...(source === undefined ? {} : { _source: source }),
    },
  };
}

function getDocument(context: RequestContext): Reply {
  const index = context.cluster.resolveSingle(context.param('index'));
  return getReply(index, context.param('id'), parseSourceFilter(undefined, context.query));
}

function getSource(context: RequestContext): Reply {
  const found = getDocument(context);
  if (found.status !== 200) throw new EsError(404, 'resource_not_found_exception', `Document not found [${context.param('index')}]/[${context.param('id')}]`);
  return { status: 200, body: (found.body as { _source?: unknown })._source };
}

function multiGet(context: RequestContext): Reply {
  const body = context.jsonObject();
  const defaultIndex = context.params['index'];
  const unknown = Object.keys(body).find((key) => key !== 'docs' && key !== 'ids');
  if (unknown) throw parsingError(`unknown key [${unknown}] for a multi get request`);
  const requests = Array.isArray(body['docs'])
    ? body['docs'].filter(isObject).map((entry) => {
        const field = Object.keys(entry).find((key) => !['_index', '_id', 'routing'].includes(key));
        if (field) throw parsingError(`[mget] the es-standin does not support [${field}] in a multi get document`);
        return { index: String(entry['_index'] ?? defaultIndex), id: String(entry['_id']) };
      })
    : [body['ids'] ?? []].flat().map((id) => ({ index: String(defaultIndex), id: String(id) }));
  context.access.authorize(indexActions.multiGet, ...requests.map((request) => request.index));
  const filter = parseSourceFilter(undefined, context.query);
  return { status: 200, body: { docs: requests.map((request) => getReply(context.cluster.resolveSingle(request.index), request.id, filter).body) } };
}

const writeParameters = ['refresh', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'routing', 'require_alias', 'timeout'];
const readParameters = ['_source', '_source_includes', '_source_excludes', 'routing', 'realtime', 'refresh', 'preference'];

/** Single-document APIs: index, create, get, exists, delete, update, mget. */
export function registerDocumentRoutes(router: Router): void {
  router.on(
    ['PUT', 'POST'],
    '/{index}/_doc/{id}',
    (context) => reply(context, indexDocument(context.cluster, context.param('index'), context.param('id'), context.json(), conditionsOf(context), writeTarget(context))),
    [...writeParameters, 'op_type'],
  );
  router.on(
    ['PUT', 'POST'],
    '/{index}/_create/{id}',
    (context) => reply(context, indexDocument(context.cluster, context.param('index'), context.param('id'), context.json(), conditionsOf(context, 'create'), writeTarget(context))),
    writeParameters,
  );
  router.on(
    'POST',
    '/{index}/_doc',
    (context) => reply(context, indexDocument(context.cluster, context.param('index'), undefined, context.json(), conditionsOf(context, 'create'), writeTarget(context))),
    [...writeParameters, 'op_type'],
  );
  router.on('GET', '/{index}/_doc/{id}', getDocument, readParameters);
  router.on('HEAD', '/{index}/_doc/{id}', (context) => ({ status: getDocument(context).status }), readParameters);
  router.on('GET', '/{index}/_source/{id}', getSource, readParameters);
  router.on(
    'DELETE',
    '/{index}/_doc/{id}',
    (context) => reply(context, deleteDocument(context.cluster, context.param('index'), context.param('id'), conditionsOf(context))),
    ['refresh', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'routing', 'timeout'],
  );
  router.on(
    'POST',
    '/{index}/_update/{id}',
    (context) => reply(context, updateDocument(context.cluster, context.param('index'), context.param('id'), context.jsonObject(), conditionsOf(context), writeTarget(context))),
    ['refresh', 'if_seq_no', 'if_primary_term', 'routing', 'require_alias', 'retry_on_conflict', 'timeout'],
  );
  router.on(['GET', 'POST'], '/_mget', multiGet, readParameters).on(['GET', 'POST'], '/{index}/_mget', multiGet, readParameters);
}
