import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { healthFileDescriptor } from './health-descriptor.js';

/** Adds server reflection (v1 and v1alpha) serving the services' own file descriptors, their imports and grpc.health.v1. */
export function addReflection(server: Server, services: readonly DescService[]): void {
  const files: FileDescriptorProto[] = [...collectFiles(services.map((service) => service.file)).map((file) => file.proto), healthFileDescriptor];
  const fileDescriptorProtos = files.map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file)));
  const packageDefinition: PackageDefinition = {
    'shop.descriptors': { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos },
  };
  new ReflectionService(packageDefinition).addToServer(server);
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
