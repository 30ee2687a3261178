/** Stable, transport-neutral error codes that domain code raises. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED';

/** A typed domain error: its code and message are safe to show to callers. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Bad input: the message names the field, for example `invalid name: must not be empty`. */
export function invalidArgument(field: string, reason: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', `invalid ${field}: ${reason}`, field);
}

/** The named entity does not exist. */
export function notFound(entity: string, id: string): DomainError {
  return new DomainError('NOT_FOUND', `${entity} ${JSON.stringify(id)} not found`);
}

/** The entity already exists, named by the field that collides. */
export function alreadyExists(entity: string, field: string, value: string): DomainError {
  return new DomainError('ALREADY_EXISTS', `${entity} with ${field} ${JSON.stringify(value)} already exists`, field);
}

/** The entity is in the wrong state for the operation. */
export function failedPrecondition(message: string): DomainError {
  return new DomainError('FAILED_PRECONDITION', message);
}

/** The caller may not do this; the message must not reveal another caller's data. */
export function permissionDenied(message: string): DomainError {
  return new DomainError('PERMISSION_DENIED', message);
}

/** The caller is not authenticated. */
export function unauthenticated(message: string): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}

/** A dependency could not answer; the message names it. */
export function unavailable(dependency: string, reason: string): DomainError {
  return new DomainError('UNAVAILABLE', `${dependency} unavailable: ${reason}`);
}

/** A concurrent change won: the caller may re-read and retry (for example a stale expected version). */
export function aborted(message: string): DomainError {
  return new DomainError('ABORTED', message);
}
