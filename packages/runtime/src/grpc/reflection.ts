import type { handleBidiStreamingCall, MethodDefinition, Server, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { healthFileDescriptor } from './health-descriptor.js';

const require = createRequire(import.meta.url);

type ReflectionHandler = handleBidiStreamingCall<unknown, unknown>;
type ReflectionMethod = MethodDefinition<unknown, unknown>;

/** The method both reflection versions serve, and the paths grpcurl and buf curl call it by. */
const METHOD = 'ServerReflectionInfo';
const PATHS = ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo'] as const;

/** The reflection service as @grpc/reflection builds it: each path's method definition and handler. */
function buildReflection(services: readonly DescService[]): Map<string, { method: ReflectionMethod; handler: ReflectionHandler }> {
  const files: FileDescriptorProto[] = [...collectFiles(services.map((service) => service.file)).map((file) => file.proto), healthFileDescriptor];
  const fileDescriptorProtos = files.map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file)));
  const packageDefinition: PackageDefinition = {
    'shop.descriptors': { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos },
  };
  const built = new Map<string, { method: ReflectionMethod; handler: ReflectionHandler }>();
  const collector = {
    addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation) {
      for (const [name, method] of Object.entries(definition)) built.set(method.path, { method, handler: implementation[name] as ReflectionHandler });
    },
  };
  const { ReflectionService } = require('@grpc/reflection') as typeof import('@grpc/reflection');
  new ReflectionService(packageDefinition).addToServer(collector as unknown as Server);
  return built;
}

/**
 * Adds server reflection (v1 and v1alpha) serving the services' own file descriptors, their imports and grpc.health.v1.
 * Both are registered at once, but @grpc/reflection is loaded, the descriptors indexed and reflection's own proto
 * parsed (protobufjs) on the first reflection call, which leaves a service's start and memory to its own work.
 */
export function addReflection(server: Server, services: readonly DescService[]): void {
  let built: ReturnType<typeof buildReflection> | undefined;
  const at = (path: string) => {
    built ??= buildReflection(services);
    const entry = built.get(path);
    if (!entry) throw new Error(`@grpc/reflection no longer serves ${path}`);
    return entry;
  };
  for (const path of PATHS) {
    const method: ReflectionMethod = {
      path,
      requestStream: true,
      responseStream: true,
      originalName: 'serverReflectionInfo',
      requestSerialize: (value) => at(path).method.requestSerialize(value),
      requestDeserialize: (bytes) => at(path).method.requestDeserialize(bytes),
      responseSerialize: (value) => at(path).method.responseSerialize(value),
      responseDeserialize: (bytes) => at(path).method.responseDeserialize(bytes),
    };
    server.addService({ [METHOD]: method }, { [METHOD]: (call: Parameters<ReflectionHandler>[0]) => at(path).handler(call) });
  }
}

/** The files and all their imports, each once, imports first. */
function collectFiles(roots: readonly DescFile[]): DescFile[] {
  const ordered: DescFile[] = [];
  const seen = new Set<string>();
  const visit = (file: DescFile) => {
    if (seen.has(file.name)) return;
    seen.add(file.name);
    file.dependencies.forEach(visit);
    ordered.push(file);
  };
  roots.forEach(visit);
  return ordered;
}
