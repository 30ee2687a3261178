import type { Document } from 'bson';

/** A MongoDB-style command failure carried up to the dispatcher and turned into an `ok: 0` reply. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Document = {},
    readonly errorLabels: string[] = [],
  ) {
    super(message);
  }

  /** The reply document MongoDB sends for this error. */
  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The entry MongoDB puts into `writeErrors` for this error. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/** Error codes the stand-in answers with, named as MongoDB names them. */
export const ErrorCodes = {
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  DocumentValidationFailure: 121,
  NoSuchTransaction: 251,
  TransactionTooOld: 225,
  InvalidNamespace: 73,
  UnknownReplWriteConcern: 79,
  UnsatisfiableWriteConcern: 100,
  CommandNotSupported: 115,
  OperationNotSupportedInTransaction: 263,
  Location40415: 40415,
  Location51183: 51183,
  Location13113: 13113,
  MechanismUnavailable: 334,
  DuplicateKey: 11000,
} as const;

type ErrorName = keyof typeof ErrorCodes;

/** Builds a CommandError from a MongoDB error name. */
export function commandError(name: ErrorName, message: string, extra: Document = {}, errorLabels: string[] = []): CommandError {
  return new CommandError(ErrorCodes[name], name, message, extra, errorLabels);
}

/** A transient transaction error the driver's `withTransaction` retries. */
export function transientError(name: 'WriteConflict' | 'NoSuchTransaction', message: string): CommandError {
  return commandError(name, message, {}, ['TransientTransactionError']);
}

/** Converts anything thrown while running a command into a CommandError. */
export function asCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return commandError('BadValue', message);
}
