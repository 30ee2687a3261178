import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

type HealthClient = grpc.Client & {
  check: (request: { service: string }, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: { status: string }) => void) => void;
};

let healthClientConstructor: (new (address: string, credentials: grpc.ChannelCredentials) => HealthClient) | undefined;

function healthClientClass() {
  if (!healthClientConstructor) {
    const definition = grpc.loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => HealthClient } } };
    };
    healthClientConstructor = definition.grpc.health.v1.Health;
  }
  return healthClientConstructor;
}

/**
 * Asks a server's grpc.health.v1.Health/Check for a service ("" = the whole server) with a plain grpc-js client
 * built from the health proto, no generated code; resolves to SERVING, NOT_SERVING, … or rejects when unreachable.
 */
export async function healthStatus(address: string, service = '', timeoutMs = 2000): Promise<string> {
  const HealthClientClass = healthClientClass();
  const client = new HealthClientClass(address, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      client.check({ service }, { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response.status))),
    );
  } finally {
    client.close();
  }
}

/** Polls healthStatus until SERVING; rejects with the last status after timeoutMs. */
export async function waitUntilServing(address: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'UNREACHABLE';
  while (Date.now() < deadline) {
    last = await healthStatus(address).catch(() => 'UNREACHABLE');
    if (last === 'SERVING') return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${address} not SERVING within ${timeoutMs} ms (last: ${last})`);
}
