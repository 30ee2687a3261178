import type { Instrumentation } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Path of the Prometheus endpoint, never traced. */
export const metricsPath = '/metrics';

/**
 * The official instrumentations of the modules the services use. Store calls are traced only inside a traced
 * operation, so background polling (the outbox relay, health checks) does not start traces of its own.
 */
export function serviceInstrumentations(): Instrumentation[] {
  return [
    new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'] }),
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => (request.url ?? '').startsWith(metricsPath) }),
    new PgInstrumentation({ requireParentSpan: true }),
    new MongoDBInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}
