import { status as grpcStatus, type sendUnaryData, type Server, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { healthServiceDefinition, type HealthCheckRequest, type HealthCheckResponse, type HealthListResponse, type ServingStatus } from './health-protocol.js';

/** How many statuses List returns before it answers RESOURCE_EXHAUSTED, as the protocol asks. */
const LIST_LIMIT = 100;

/** The serving status of each service name, served as grpc.health.v1.Health (Check, List, Watch). */
export class HealthStatuses {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<string, Set<(status: ServingStatus) => void>>();

  /** Sets a service's status and tells every watcher of it. */
  setStatus(service: string, status: ServingStatus): void {
    this.statuses.set(service, status);
    for (const watcher of this.watchers.get(service) ?? []) watcher(status);
  }

  /** Registers grpc.health.v1.Health on the server. */
  addToServer(server: Server): void {
    server.addService(healthServiceDefinition, {
      check: (call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) => {
        const status = this.statuses.get(call.request.service);
        if (status) callback(null, { status });
        else callback({ code: grpcStatus.NOT_FOUND, details: `Health status unknown for service ${call.request.service}` });
      },
      list: (_call: ServerUnaryCall<Record<string, never>, HealthListResponse>, callback: sendUnaryData<HealthListResponse>) => {
        if (this.statuses.size > LIST_LIMIT) return callback({ code: grpcStatus.RESOURCE_EXHAUSTED, details: 'Too many services to list.' });
        callback(null, { statuses: Object.fromEntries([...this.statuses].map(([service, status]) => [service, { status }])) });
      },
      watch: (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => this.watch(call),
    });
  }

  private watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>): void {
    const { service } = call.request;
    const watcher = (status: ServingStatus) => call.write({ status });
    const watchers = this.watchers.get(service) ?? new Set();
    this.watchers.set(service, watchers.add(watcher));
    call.on('cancelled', () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.watchers.get(service) === watchers) this.watchers.delete(service);
    });
    call.write({ status: this.statuses.get(service) ?? 'SERVICE_UNKNOWN' });
  }
}
