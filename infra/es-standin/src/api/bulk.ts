import { EsError, illegalArgument } from '../errors.js';
import type { Router } from '../http/router.js';
import type { Reply, RequestContext } from '../http/request-context.js';
import { isObject, type JsonObject } from '../search/query/clause-body.js';
import type { IndexAccess } from '../security/index-access.js';
import { indexActions } from '../security/index-actions.js';
import type { Cluster } from '../store/cluster.js';
import { deleteDocument, indexDocument, isForcedRefresh, updateDocument, writeConditions, writeReplyBody, writeStatus, type CompletedWrite, type WriteTarget } from './document-writes.js';

type BulkActionType = 'index' | 'create' | 'update' | 'delete';

interface BulkAction {
  type: BulkActionType;
  metadata: JsonObject;
  body: unknown;
}

const actionTypes = new Set<string>(['index', 'create', 'update', 'delete']);
const metadataKeys = new Set(['_index', '_id', 'routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'require_alias', 'retry_on_conflict']);

const securityActions = { index: indexActions.index, create: indexActions.index, update: indexActions.update, delete: indexActions.delete };

function parseJsonLine(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new EsError(400, 'x_content_parse_exception', `[${lineNumber}:1] Malformed content, found extra data after parsing: START_OBJECT`);
  }
}

/** Splits an NDJSON bulk body into actions (each with its source line where one is required). */
export function parseBulkBody(text: string): BulkAction[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const actions: BulkAction[] = [];
  for (let position = 0; position < lines.length; position += 1) {
    const header = parseJsonLine(lines[position]!, position + 1);
    const entries = isObject(header) ? Object.entries(header) : [];
    const [entry] = entries;
    if (!entry || entries.length !== 1 || !actionTypes.has(entry[0]) || !isObject(entry[1])) {
      throw illegalArgument(`Malformed action/metadata line [${position + 1}], expected a simple action (index, create, update or delete)`);
    }
    const type = entry[0] as BulkActionType;
    const unknown = Object.keys(entry[1]).find((key) => !metadataKeys.has(key));
    if (unknown) throw illegalArgument(`Action/metadata line [${position + 1}] contains an unknown parameter [${unknown}]`);
    if (type === 'delete') {
      actions.push({ type, metadata: entry[1], body: undefined });
      continue;
    }
    position += 1;
    if (position >= lines.length) throw illegalArgument(`The bulk request must be terminated by a newline [\\n]`);
    actions.push({ type, metadata: entry[1], body: parseJsonLine(lines[position]!, position + 1) });
  }
  if (actions.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  return actions;
}

function targetOf(action: BulkAction, defaults: WriteTarget): WriteTarget {
  const routing = action.metadata['routing'];
  const requireAlias = action.metadata['require_alias'];
  return { routing: routing === undefined ? defaults.routing : String(routing), requireAlias: requireAlias === undefined ? defaults.requireAlias : requireAlias === true };
}

function runAction(cluster: Cluster, access: IndexAccess, action: BulkAction, defaultIndex: string | undefined, defaults: WriteTarget): CompletedWrite {
  const target = action.metadata['_index'] ?? defaultIndex;
  if (typeof target !== 'string') throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
  access.authorize(securityActions[action.type], target);
  const conditions = writeConditions((key) => action.metadata[key]);
  const id = action.metadata['_id'] === undefined ? undefined : String(action.metadata['_id']);
  const options = targetOf(action, defaults);
  switch (action.type) {
    case 'index':
      return indexDocument(cluster, target, id, action.body, conditions, options);
    case 'create':
      return indexDocument(cluster, target, id, action.body, { ...conditions, opType: 'create' }, options);
    case 'update':
      return updateDocument(cluster, target, id ?? '', isObject(action.body) ? action.body : {}, conditions, options);
    case 'delete':
      return deleteDocument(cluster, target, id ?? '', conditions);
  }
}

function itemResult(context: RequestContext, action: BulkAction, forcedRefresh: boolean): JsonObject {
  const defaultIndex = context.params['index'];
  try {
    const defaults = { routing: context.string('routing'), requireAlias: context.flag('require_alias') ?? false };
    const write = runAction(context.cluster, context.access, action, defaultIndex, defaults);
    return { [action.type]: { ...writeReplyBody(write, forcedRefresh), status: writeStatus(write.result) } };
  } catch (error) {
    if (!(error instanceof EsError)) throw error;
    const index = String(action.metadata['_index'] ?? defaultIndex ?? '');
    const id = action.metadata['_id'] === undefined ? null : String(action.metadata['_id']);
    return { [action.type]: { _index: index, _id: id, status: error.status, error: error.causeObject() } };
  }
}

function bulk(context: RequestContext): Reply {
  const started = Date.now();
  const actions = parseBulkBody(context.rawBody);
  const items = actions.map((action) => itemResult(context, action, isForcedRefresh(context.string('refresh'))));
  const errors = items.some((item) => Object.values(item).some((result) => isObject(result) && result['error'] !== undefined));
  return { status: 200, body: { errors, took: Date.now() - started, items } };
}

/** `_bulk` with index, create, update and delete actions, each with its own result or error. */
export function registerBulkRoutes(router: Router): void {
  const parameters = ['refresh', 'routing', 'require_alias', 'timeout'];
  router.on(['POST', 'PUT'], '/_bulk', bulk, parameters).on(['POST', 'PUT'], '/{index}/_bulk', bulk, parameters);
}
