import type { Document } from 'bson';
import { commandError } from './errors.js';

/** Fields every command may carry: session, transaction, concerns, API version and the driver's routing fields. */
const GENERIC_FIELDS = new Set([
  '$db', '$clusterTime', '$readPreference', 'lsid', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern', 'writeConcern',
  'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors',
]);

/** Whether a field is one of the generic fields every command may carry. */
export function isGenericField(field: string): boolean {
  return GENERIC_FIELDS.has(field);
}

/** How the stand-in treats one command field: implemented, or known to MongoDB but refused here unless it has its default value. */
export type FieldRule = 'implemented' | { refusedUnless: (value: unknown) => boolean };

/** Refused unless absent or false (flags such as `tailable`). */
export const UNLESS_FALSE: FieldRule = { refusedUnless: (value) => value === false };
/** Refused whenever present. */
export const ALWAYS_REFUSED: FieldRule = { refusedUnless: () => false };

/** The fields a command accepts (besides the generic ones). */
export type FieldRules = Record<string, FieldRule>;

/** Names every field given `implemented`. */
export function implemented(...names: string[]): FieldRules {
  return Object.fromEntries(names.map((name) => [name, 'implemented' as const]));
}

/**
 * Refuses, as MongoDB's command parser does, a field it does not know (40415, "BSON field 'find.x' is an unknown field.");
 * and a field MongoDB knows that the stand-in does not implement (115 CommandNotSupported, naming it), so nothing is silently ignored.
 */
export function checkFields(path: string, document: Document, rules: FieldRules, skipFirst = false, generic = true): void {
  const entries = Object.entries(document);
  for (const [field, value] of skipFirst ? entries.slice(1) : entries) {
    if (generic && GENERIC_FIELDS.has(field)) continue;
    const rule = Object.hasOwn(rules, field) ? rules[field] : undefined;
    if (!rule) throw commandError('Location40415', `BSON field '${path}.${field}' is an unknown field.`);
    if (rule !== 'implemented' && value !== undefined && !rule.refusedUnless(value)) {
      throw commandError('CommandNotSupported', `BSON field '${path}.${field}' is not supported by the mongo stand-in`);
    }
  }
}

const READ_CONCERN_LEVELS = new Set(['local', 'majority', 'linearizable', 'available', 'snapshot']);

/** Checks the generic readConcern and writeConcern the way a single-node replica set answers them. */
export function checkConcerns(command: Document): void {
  const readConcern = command.readConcern as Document | undefined;
  if (readConcern !== undefined) {
    checkFields('readConcern', readConcern, { ...implemented('level', 'afterClusterTime', 'provenance'), atClusterTime: ALWAYS_REFUSED }, false, false);
    if (readConcern.level !== undefined && !READ_CONCERN_LEVELS.has(readConcern.level as string)) {
      throw commandError('FailedToParse', `Field 'level' is invalid in: { level: "${String(readConcern.level)}" }`);
    }
  }
  const writeConcern = command.writeConcern as Document | undefined;
  if (writeConcern === undefined) return;
  checkFields('writeConcern', writeConcern, implemented('w', 'j', 'wtimeout', 'fsync', 'provenance'), false, false);
  const w = writeConcern.w as unknown;
  if (typeof w === 'number' && w > 1) throw commandError('UnsatisfiableWriteConcern', 'Not enough data-bearing nodes');
  if (typeof w === 'string' && w !== 'majority') throw commandError('UnknownReplWriteConcern', `No write concern mode named '${w}' found in replica set configuration`);
}
