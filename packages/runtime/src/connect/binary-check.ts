import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { createContextKey, type ContextValues } from '@connectrpc/connect';
import type { UniversalServerRequest } from '@connectrpc/connect/protocol';
import { UndecodableRequest } from '../limits/undecodable.js';

/** Set on a request whose binary body does not decode; the handler answers it INVALID_ARGUMENT. */
export const undecodableKey = createContextKey<UndecodableRequest | undefined>(undefined);

const enveloped = /^application\/(grpc-web|grpc|connect)(\+proto)?$/;
const emptyEnvelope = new Uint8Array(5);

/**
 * Connect parses undecodable binary bodies as INTERNAL errors before any handler runs. This reads a binary body
 * (within readMaxBytes), and when it does not decode as the request type, hands Connect an empty message instead
 * and marks the request so the handler answers INVALID_ARGUMENT in the protocol the caller speaks.
 */
export async function checkBinaryBody(request: UniversalServerRequest, schema: DescMessage, readMaxBytes: number): Promise<UniversalServerRequest> {
  const contentType = (request.header.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (request.method === 'GET') return checkGetMessage(request, schema);
  const isUnary = contentType === 'application/proto';
  const isEnveloped = enveloped.test(contentType);
  if ((!isUnary && !isEnveloped) || request.header.has('content-encoding') || !isAsyncIterable(request.body)) return request;
  const { bytes, rest } = await readUpTo(request.body, readMaxBytes + 5);
  if (rest !== undefined) return { ...request, body: replay(bytes, rest) };
  const message = isUnary ? bytes : envelopeMessage(bytes);
  if (message === undefined) return { ...request, body: replay(bytes) };
  const failure = decodeFailure(schema, message);
  if (failure === undefined) return { ...request, body: replay(bytes) };
  return flagged({ ...request, body: replay(isUnary ? new Uint8Array(0) : emptyEnvelope) }, new UndecodableRequest(schema.typeName, failure));
}

function checkGetMessage(request: UniversalServerRequest, schema: DescMessage): UniversalServerRequest {
  const url = new URL(request.url, 'http://localhost');
  if (url.searchParams.get('encoding') !== 'proto' || url.searchParams.has('compression')) return request;
  const raw = url.searchParams.get('message') ?? '';
  const bytes = url.searchParams.get('base64') === '1' ? Buffer.from(raw, 'base64url') : Buffer.from(raw, 'latin1');
  const failure = decodeFailure(schema, bytes);
  if (failure === undefined) return request;
  url.searchParams.set('message', '');
  url.searchParams.delete('base64');
  return flagged({ ...request, url: `${url.pathname}${url.search}` }, new UndecodableRequest(schema.typeName, failure));
}

function flagged(request: UniversalServerRequest, undecodable: UndecodableRequest): UniversalServerRequest {
  (request.contextValues as ContextValues | undefined)?.set(undecodableKey, undecodable);
  return request;
}

function decodeFailure(schema: DescMessage, bytes: Uint8Array): string | undefined {
  try {
    fromBinary(schema, bytes);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The message of a body holding exactly one uncompressed envelope; undefined for anything else (Connect judges it). */
function envelopeMessage(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.byteLength < 5 || bytes[0] !== 0) return undefined;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  if (bytes.byteLength !== 5 + length) return undefined;
  return bytes.subarray(5);
}

/** The body's bytes, or, past the limit, the bytes read so far and the unread rest (so Connect can refuse the size). */
async function readUpTo(body: AsyncIterable<Uint8Array>, limit: number): Promise<{ bytes: Uint8Array; rest?: AsyncIterator<Uint8Array> }> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > limit) return { bytes: Buffer.concat(chunks), rest: iterator };
  }
  return { bytes: Buffer.concat(chunks) };
}

async function* replay(bytes: Uint8Array, rest?: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield bytes;
  if (rest === undefined) return;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}
