import type { ServiceDefinition, MethodDefinition } from '@grpc/grpc-js';
import { fromBinary, toBinary, type DescMessage, type DescService, type MessageShape } from '@bufbuild/protobuf';
import { UndecodableRequest } from '../limits/undecodable.js';

/** A grpc-js service definition whose (de)serializers are the protobuf-es generated schemas. */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    if (method.methodKind !== 'unary') {
      throw new Error(`${service.typeName}/${method.name}: only unary methods are served`);
    }
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      originalName: method.name,
      requestStream: false,
      responseStream: false,
      requestSerialize: serializer(method.input),
      requestDeserialize: requestDeserializer(method.input),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
    };
  }
  return definition;
}

/** Encodes a message into a Buffer over the encoder's own bytes (no copy). */
function serializer<D extends DescMessage>(schema: D) {
  return (message: unknown) => {
    const bytes = toBinary(schema, message as MessageShape<D>);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

/** Decodes a request; bytes that do not decode become an UndecodableRequest the handler answers with INVALID_ARGUMENT. */
function requestDeserializer<D extends DescMessage>(schema: D) {
  return (bytes: Buffer) => {
    try {
      return fromBinary(schema, bytes);
    } catch (error) {
      return new UndecodableRequest(schema.typeName, error instanceof Error ? error.message : String(error));
    }
  };
}

function deserializer<D extends DescMessage>(schema: D) {
  return (bytes: Buffer) => fromBinary(schema, bytes);
}
