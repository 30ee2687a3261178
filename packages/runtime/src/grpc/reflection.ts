import type { Server } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { create, toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

/** Adds server reflection (v1 and v1alpha) describing the given services, their messages and grpc.health.v1. */
export function addReflection(server: Server, services: readonly DescService[]): void {
  const files = collectFiles(services.map((service) => service.file));
  const descriptorSet = toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: files.map((file) => file.proto) }));
  const packageDefinition = {
    ...loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSet)),
    ...loadSync(healthProtoPath),
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
