import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Logger } from 'pino';
import { DomainError, type ErrorCode } from '../errors.js';
import { boundedStatusMessage } from '../limits/status-message.js';

const codeToStatus: Record<ErrorCode, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  ABORTED: status.ABORTED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
};

/** A gRPC error to send: a code, a caller-safe message and trailing metadata. */
export type GrpcError = Partial<ServiceError> & { code: status; details: string };

/** Maps anything a handler threw to a gRPC error with a bounded, sanitized message; unknown errors become INTERNAL, logged once with their cause. */
export function toGrpcError(error: unknown, logger: Logger, method: string): GrpcError {
  if (error instanceof DomainError) {
    const metadata = new Metadata();
    if (error.field) metadata.set('field', metadataValue(error.field));
    return { code: codeToStatus[error.code], details: boundedStatusMessage(error.message), metadata };
  }
  if (error instanceof ConnectError && error.code !== undefined) {
    return { code: error.code as number as status, details: boundedStatusMessage(error.rawMessage) };
  }
  logger.error({ err: error, method }, 'unexpected error');
  return { code: status.INTERNAL, details: 'internal error' };
}

/** The name of a gRPC status code, for logs. */
export function statusName(code: status): string {
  return status[code] ?? String(code);
}

/** Maps anything a Connect handler threw to a ConnectError with a bounded, sanitized message; unknown errors become INTERNAL, logged once. */
export function toConnectError(error: unknown, logger: Logger, method: string): ConnectError {
  if (error instanceof ConnectError) return new ConnectError(boundedStatusMessage(error.rawMessage), error.code, error.metadata);
  const grpcError = toGrpcError(error, logger, method);
  const metadata = new Headers();
  const field = error instanceof DomainError ? error.field : undefined;
  if (field) metadata.set('field', metadataValue(field));
  return new ConnectError(grpcError.details, grpcError.code as number as Code, metadata);
}

/** A value every HTTP/2 header accepts: bounded, printable ASCII. */
function metadataValue(value: string): string {
  return boundedStatusMessage(value).replace(/[^\x20-\x7e]/g, '?');
}
