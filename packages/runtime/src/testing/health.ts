import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/** Calls grpc.health.v1.Health/Check with a plain grpc-js client built from the health proto, no generated code. */
export async function plainHealthCheck(address: string, service = ''): Promise<string> {
  const definition = grpc.loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client } } };
  };
  const client = new definition.grpc.health.v1.Health(address, grpc.credentials.createInsecure()) as grpc.Client & {
    check: (request: object, callback: (error: grpc.ServiceError | null, response: { status: string }) => void) => void;
  };
  try {
    return await new Promise((resolve, reject) => client.check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))));
  } finally {
    client.close();
  }
}
