import { EsError, versionConflict } from '../errors.js';
import type { VersionInfo } from './stored-document.js';

/** Concurrency-control options of a write (`op_type`, `version`, `version_type`, `if_seq_no`, `if_primary_term`). */
export interface WriteConditions {
  opType?: 'index' | 'create';
  version?: number;
  versionType?: 'internal' | 'external' | 'external_gte' | 'force';
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
}

/** Identifies the document a write targets, for error messages. */
export interface WriteTarget {
  index: string;
  uuid: string;
  id: string;
}

function conflict(target: WriteTarget, detail: string): EsError {
  return versionConflict(target.index, target.uuid, target.id, detail);
}

function checkSeqNo(target: WriteTarget, live: VersionInfo | undefined, conditions: WriteConditions): void {
  if (conditions.ifSeqNo === undefined && conditions.ifPrimaryTerm === undefined) return;
  const required = `required seqNo [${conditions.ifSeqNo}], primary term [${conditions.ifPrimaryTerm}]`;
  if (!live) throw conflict(target, `${required}. but no document was found`);
  if (live.seqNo !== conditions.ifSeqNo || live.primaryTerm !== conditions.ifPrimaryTerm) {
    throw conflict(target, `${required}. current document has seqNo [${live.seqNo}] and primary term [${live.primaryTerm}]`);
  }
}

function externalVersion(target: WriteTarget, previous: VersionInfo | undefined, conditions: WriteConditions): number {
  const provided = conditions.version;
  if (provided === undefined || !Number.isInteger(provided) || provided < 0) {
    throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: version is not set or invalid for versioning type external;');
  }
  if (!previous) return provided;
  if (conditions.versionType === 'external_gte' && provided < previous.version) {
    throw conflict(target, `current version [${previous.version}] is higher than the one provided [${provided}]`);
  }
  if (conditions.versionType === 'external' && provided <= previous.version) {
    throw conflict(target, `current version [${previous.version}] is higher or equal to the one provided [${provided}]`);
  }
  return provided;
}

/**
 * Checks a write against the live document (or the tombstone of a deleted one) and returns the version
 * the document gets; throws 409 version_conflict_engine_exception when Elasticsearch would refuse it.
 */
export function nextVersion(
  target: WriteTarget,
  live: VersionInfo | undefined,
  tombstone: VersionInfo | undefined,
  conditions: WriteConditions,
): number {
  const versionType = conditions.versionType ?? 'internal';
  if (versionType === 'internal' && conditions.version !== undefined) {
    throw new EsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;',
    );
  }
  checkSeqNo(target, live, conditions);
  if (conditions.opType === 'create' && live) {
    throw conflict(target, `document already exists (current version [${live.version}])`);
  }
  if (versionType === 'external' || versionType === 'external_gte') return externalVersion(target, live ?? tombstone, conditions);
  return (live?.version ?? tombstone?.version ?? 0) + 1;
}
