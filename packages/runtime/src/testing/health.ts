import { healthStatus } from '../grpc/health-client.js';

/** Calls grpc.health.v1.Health/Check with a plain grpc-js client built from the health proto, no generated code. */
export function plainHealthCheck(address: string, service = ''): Promise<string> {
  return healthStatus(address, service);
}
