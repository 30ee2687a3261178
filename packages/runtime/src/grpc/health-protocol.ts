import { create, createFileRegistry, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { healthFileDescriptor } from './health-descriptor.js';

const registry = createFileRegistry(healthFileDescriptor, () => undefined);

function message(name: string): DescMessage {
  const found = registry.getMessage(`grpc.health.v1.${name}`);
  if (!found) throw new Error(`grpc.health.v1.${name} is missing from the health descriptor`);
  return found;
}

const requestSchema = message('HealthCheckRequest');
const responseSchema = message('HealthCheckResponse');
const listRequestSchema = message('HealthListRequest');
const listResponseSchema = message('HealthListResponse');

/** grpc.health.v1's serving states by name, as the protocol numbers them. */
export const SERVING_STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;

/** A serving state's name. */
export type ServingStatus = keyof typeof SERVING_STATUS;

const statusNames = Object.fromEntries(Object.entries(SERVING_STATUS).map(([name, number]) => [number, name])) as Record<number, ServingStatus>;

/** A HealthCheckRequest in plain form. */
export interface HealthCheckRequest {
  service: string;
}

/** A HealthCheckResponse in plain form. */
export interface HealthCheckResponse {
  status: ServingStatus;
}

/** A HealthListResponse in plain form. */
export interface HealthListResponse {
  statuses: Record<string, HealthCheckResponse>;
}

type Shape = MessageShape<DescMessage> & Record<string, unknown>;

function codec<T>(schema: DescMessage, toPlain: (shape: Shape) => T, fromPlain: (value: T) => Record<string, unknown>) {
  return {
    serialize: (value: T) => Buffer.from(toBinary(schema, create(schema, fromPlain(value)))),
    deserialize: (bytes: Buffer) => toPlain(fromBinary(schema, bytes) as Shape),
  };
}

const request = codec<HealthCheckRequest>(requestSchema, (shape) => ({ service: shape.service as string }), (value) => ({ service: value.service }));
const response = codec<HealthCheckResponse>(
  responseSchema,
  (shape) => ({ status: statusNames[shape.status as number] ?? 'UNKNOWN' }),
  (value) => ({ status: SERVING_STATUS[value.status] }),
);
const listRequest = codec<Record<string, never>>(listRequestSchema, () => ({}), () => ({}));
const listResponse = codec<HealthListResponse>(
  listResponseSchema,
  (shape) => ({
    statuses: Object.fromEntries(
      Object.entries(shape.statuses as Record<string, Shape>).map(([name, entry]) => [name, { status: statusNames[entry.status as number] ?? 'UNKNOWN' }]),
    ),
  }),
  (value) => ({
    statuses: Object.fromEntries(Object.entries(value.statuses).map(([name, entry]) => [name, create(responseSchema, { status: SERVING_STATUS[entry.status] })])),
  }),
);

function method<Req, Res>(
  name: string,
  originalName: string,
  responseStream: boolean,
  req: { serialize: (value: Req) => Buffer; deserialize: (bytes: Buffer) => Req },
  res: { serialize: (value: Res) => Buffer; deserialize: (bytes: Buffer) => Res },
): MethodDefinition<Req, Res> {
  return {
    path: `/grpc.health.v1.Health/${name}`,
    requestStream: false,
    responseStream,
    originalName,
    requestSerialize: req.serialize,
    requestDeserialize: req.deserialize,
    responseSerialize: res.serialize,
    responseDeserialize: res.deserialize,
  };
}

/**
 * grpc.health.v1.Health for grpc-js, with messages encoded from the health descriptor by @bufbuild/protobuf, which
 * every service loads anyway: no .proto parsed at start.
 */
export const healthServiceDefinition = {
  check: method('Check', 'check', false, request, response),
  list: method('List', 'list', false, listRequest, listResponse),
  watch: method('Watch', 'watch', true, request, response),
} satisfies ServiceDefinition;
