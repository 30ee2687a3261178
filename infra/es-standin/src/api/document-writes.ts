import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { EsError, illegalArgument } from '../errors.js';
import type { Cluster } from '../store/cluster.js';
import type { WriteResult } from '../store/document-store.js';
import type { EsIndex } from '../store/es-index.js';
import type { WriteConditions } from '../store/versioning.js';
import { isObject, type JsonObject } from '../search/query/clause-body.js';

/** Where a write goes beyond its index and id: custom routing, and whether the target must be an alias. */
export interface WriteTarget {
  routing?: string;
  requireAlias?: boolean;
}

/** A completed write: the index it went to and what happened. */
export interface CompletedWrite {
  index: EsIndex;
  result: WriteResult;
}

function optionalInteger(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${String(value)}]`);
  return number;
}

/** Reads `op_type`, `version`, `version_type`, `if_seq_no`, `if_primary_term` from parameters or bulk metadata. */
export function writeConditions(read: (key: string) => unknown): WriteConditions {
  const opType = read('op_type');
  const versionType = read('version_type');
  if (opType !== undefined && opType !== 'index' && opType !== 'create') throw illegalArgument(`opType must be 'create' or 'index', found: [${String(opType)}]`);
  if (versionType !== undefined && !['internal', 'external', 'external_gte', 'force'].includes(String(versionType))) {
    throw illegalArgument(`No version type match [${String(versionType)}]`);
  }
  return {
    opType: opType as WriteConditions['opType'],
    versionType: versionType as WriteConditions['versionType'],
    version: optionalInteger(read('version'), 'version'),
    ifSeqNo: optionalInteger(read('if_seq_no'), 'if_seq_no'),
    ifPrimaryTerm: optionalInteger(read('if_primary_term'), 'if_primary_term'),
  };
}

/** True when the `refresh` parameter asks for an immediate refresh (`?refresh` or `?refresh=true`). */
export function isForcedRefresh(refresh: string | undefined): boolean {
  return refresh === '' || refresh === 'true';
}

/** The HTTP status Elasticsearch uses for a write outcome. */
export function writeStatus(result: WriteResult): number {
  if (result.result === 'created') return 201;
  return result.result === 'not_found' ? 404 : 200;
}

/** The reply body of an index, create, update or delete operation. */
export function writeReplyBody(write: CompletedWrite, forcedRefresh: boolean): JsonObject {
  const { index, result } = write;
  const noop = result.result === 'noop';
  return {
    _index: index.name,
    _id: result.id,
    _version: result.version,
    result: result.result,
    ...(forcedRefresh && !noop ? { forced_refresh: true } : {}),
    _shards: noop ? { total: 0, successful: 0, failed: 0 } : { total: 2, successful: 1, failed: 0 },
    _seq_no: result.seqNo,
    _primary_term: result.primaryTerm,
  };
}

function requireSource(source: unknown): Record<string, unknown> {
  if (!isObject(source)) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: source is missing;');
  return source;
}

/** Generates an id as Elasticsearch does for `POST /<index>/_doc`: 20 URL-safe base64 characters. */
export function generateId(): string {
  return randomBytes(15).toString('base64url');
}

function writeIndex(cluster: Cluster, target: string, options: WriteTarget): EsIndex {
  if (options.requireAlias && cluster.aliasEntries(target).length === 0) {
    throw new EsError(404, 'index_not_found_exception', `no such index [${target}] and [require_alias] request flag is [true] and [${target}] is not an alias`, {
      'resource.type': 'index_or_alias',
      'resource.id': target,
      index_uuid: '_na_',
      index: target,
    });
  }
  return cluster.resolveForWrite(target);
}

/** Indexes a document into an index or an alias's write index (creating the index when missing, unless an alias is required). */
export function indexDocument(cluster: Cluster, target: string, id: string | undefined, source: unknown, conditions: WriteConditions, options: WriteTarget = {}): CompletedWrite {
  const index = writeIndex(cluster, target, options);
  return { index, result: index.index(id ?? generateId(), requireSource(source), conditions, options.routing) };
}

/** Deletes a document from an index or an alias's write index. */
export function deleteDocument(cluster: Cluster, target: string, id: string, conditions: WriteConditions): CompletedWrite {
  const index = cluster.resolveForWrite(target);
  return { index, result: index.deleteDocument(id, conditions) };
}

function mergeObjects(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const existing = merged[key];
    merged[key] = isObject(existing) && isObject(value) ? mergeObjects(existing, value) : value;
  }
  return merged;
}

function documentMissing(index: EsIndex, id: string): EsError {
  return new EsError(404, 'document_missing_exception', `[${id}]: document missing`, { index_uuid: index.uuid, shard: '0', index: index.name });
}

/** Partially updates a document (`doc`, `doc_as_upsert`, `upsert`, `detect_noop`); no scripts. */
export function updateDocument(cluster: Cluster, target: string, id: string, body: JsonObject, conditions: WriteConditions, options: WriteTarget = {}): CompletedWrite {
  if (body['script'] !== undefined) throw illegalArgument('scripted updates are not supported by the es-standin (development/test stand-in)');
  const unknown = Object.keys(body).find((key) => !updateBodyKeys.has(key));
  if (unknown) throw illegalArgument(`[UpdateRequest] unknown field [${unknown}]`);
  const index = writeIndex(cluster, target, options);
  const live = index.documents.get(id);
  if (!live) {
    const upsert = body['doc_as_upsert'] === true ? body['doc'] : body['upsert'];
    if (upsert === undefined) throw documentMissing(index, id);
    return { index, result: index.index(id, requireSource(upsert), { ...conditions, opType: 'create' }, options.routing) };
  }
  if (!isObject(body['doc'])) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;');
  const merged = mergeObjects(live.source, body['doc']);
  if (body['detect_noop'] !== false && isDeepStrictEqual(merged, live.source)) return { index, result: index.documents.noop(live) };
  return { index, result: index.index(id, merged, conditions, options.routing ?? live.routing) };
}

const updateBodyKeys = new Set(['doc', 'doc_as_upsert', 'upsert', 'detect_noop']);
