import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;

/** A grpc.health.v1 client built by proto-loader from the reference health.proto that grpc-health-check ships. */
export type ReferenceHealthClient = grpc.Client & {
  check(request: { service: string }, options: grpc.CallOptions, callback: Callback<{ status: string }>): void;
  list(request: Record<string, never>, options: grpc.CallOptions, callback: Callback<{ statuses: Record<string, { status: string }> }>): void;
  watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
};

let referenceClient: (new (address: string, credentials: grpc.ChannelCredentials) => ReferenceHealthClient) | undefined;

/** Opens a health client from the reference proto, independent of the runtime's own health encoding. */
export function referenceHealthClient(address: string): ReferenceHealthClient {
  referenceClient ??= (
    grpc.loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => ReferenceHealthClient } } };
    }
  ).grpc.health.v1.Health;
  return new referenceClient(address, grpc.credentials.createInsecure());
}

/** Calls grpc.health.v1.Health/Check with a plain grpc-js client built from the reference health proto, no generated code. */
export async function plainHealthCheck(address: string, service = ''): Promise<string> {
  const client = referenceHealthClient(address);
  try {
    return await new Promise((resolve, reject) =>
      client.check({ service }, { deadline: Date.now() + 2000 }, (error, response) => (error ? reject(error) : resolve(response.status))),
    );
  } finally {
    client.close();
  }
}
