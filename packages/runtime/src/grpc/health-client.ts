import * as grpc from '@grpc/grpc-js';
import { healthServiceDefinition } from './health-protocol.js';

/**
 * Asks a server's grpc.health.v1.Health/Check for a service ("" = the whole server) with a plain grpc-js client
 * from the health descriptor, no generated code; resolves to SERVING, NOT_SERVING, … or rejects when unreachable.
 */
export async function healthStatus(address: string, service = '', timeoutMs = 2000): Promise<string> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      client.makeUnaryRequest(
        healthServiceDefinition.check.path,
        healthServiceDefinition.check.requestSerialize,
        healthServiceDefinition.check.responseDeserialize,
        { service },
        { deadline: Date.now() + timeoutMs },
        (error, response) => (error || !response ? reject(error ?? new Error('empty health answer')) : resolve(response.status)),
      ),
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
