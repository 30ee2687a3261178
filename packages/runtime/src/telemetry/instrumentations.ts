import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { serviceNames, systemMap, type ServiceName } from '@shop/system-map';

/** Path of the Prometheus endpoint, never traced. */
export const metricsPath = '/metrics';

/** Built disabled, so the loader hooks can learn their modules before registerInstrumentations enables them. */
const disabled = { enabled: false } as const;

/**
 * The official instrumentation of each store driver of the system map, loaded only in the services that own that
 * driver. Store calls are traced only inside a traced operation, so background polling (the outbox relay, health
 * checks) does not start traces of its own. `@elastic/elasticsearch` has none here: its transport reports spans
 * through @opentelemetry/api by itself.
 */
const driverInstrumentations: Readonly<Record<string, () => Promise<InstrumentationBase>>> = {
  pg: async () => new (await import('@opentelemetry/instrumentation-pg')).PgInstrumentation({ ...disabled, requireParentSpan: true }),
  mongodb: async () => new (await import('@opentelemetry/instrumentation-mongodb')).MongoDBInstrumentation({ ...disabled, requireParentSpan: true }),
  ioredis: async () => new (await import('@opentelemetry/instrumentation-ioredis')).IORedisInstrumentation({ ...disabled, requireParentSpan: true }),
};

async function httpInstrumentation(): Promise<InstrumentationBase> {
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  return new HttpInstrumentation({ ...disabled, ignoreIncomingRequestHook: (request) => (request.url ?? '').startsWith(metricsPath) });
}

/** The service of the system map this process runs, by its entry point (services/<name>/...) or OTEL_SERVICE_NAME. */
export function processService(entry = process.argv[1] ?? '', env: Readonly<Record<string, string | undefined>> = process.env): ServiceName | undefined {
  const fromEntry = /(?:^|\/)services\/([^/]+)\//.exec(entry)?.[1];
  return [fromEntry, env.OTEL_SERVICE_NAME].find((name): name is ServiceName => serviceNames.includes(name as ServiceName));
}

/**
 * The instrumentations a service needs, built disabled: HTTP where the map gives the service an HTTP port, and the
 * instrumentation of its own store's driver. A process the map does not describe gets them all. gRPC has none: the
 * shell's unary handler starts each served call's SERVER span (grpc-server-spans.ts) and the service clients' tracing
 * interceptor each outgoing call's CLIENT span, so nothing patches grpc-js.
 */
export async function serviceInstrumentations(service: ServiceName | undefined): Promise<InstrumentationBase[]> {
  const spec = service ? systemMap[service] : undefined;
  const drivers = spec ? (spec.store ? [spec.store.driver] : []) : Object.keys(driverInstrumentations);
  const wanted = [...(!spec || spec.httpPort !== undefined ? [httpInstrumentation()] : []), ...drivers.flatMap((driver) => driverInstrumentations[driver]?.() ?? [])];
  return Promise.all(wanted);
}

/** The module names the instrumentations patch, for the loader hooks' include list. */
export function instrumentedModules(instrumentations: readonly InstrumentationBase[]): string[] {
  return [...new Set(instrumentations.flatMap((instrumentation) => instrumentation.getModuleDefinitions().map((definition) => definition.name)))];
}
